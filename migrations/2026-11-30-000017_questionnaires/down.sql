DROP TABLE questionnaire_responses;
DROP TABLE questionnaires;
