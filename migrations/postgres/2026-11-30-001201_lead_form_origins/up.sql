-- A web form may be limited to the sites that embed it: the origins a
-- browser may post from (a JSON list; empty: any site).
ALTER TABLE lead_forms ADD COLUMN allowed_origins TEXT NOT NULL DEFAULT '[]';
