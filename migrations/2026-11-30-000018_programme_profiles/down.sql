DROP TABLE programme_profiles;
