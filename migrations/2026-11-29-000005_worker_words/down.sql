DROP TABLE programme_worker_words;
