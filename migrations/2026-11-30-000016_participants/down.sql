DROP TABLE partnerships;
DROP TABLE event_participants;
DROP TABLE participants;
