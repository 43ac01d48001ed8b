DROP TABLE visit_plan_steps;
