DROP TABLE allowance_runs;
DROP TABLE expenses;
DROP TABLE grant_districts;
DROP TABLE grants;
DROP TABLE funders;
ALTER TABLE programmes DROP CONSTRAINT programmes_id_currency_key;
