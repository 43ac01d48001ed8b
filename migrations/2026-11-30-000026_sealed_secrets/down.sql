-- Nothing to undo: the up migration only asked for one more pass.
SELECT 1;
