DROP TABLE lead_form_hits;
DROP TABLE lead_forms;
DROP TABLE lead_assignment_rules;
DROP TABLE leads;
