-- The visit list's district filter: a visit is in a district through its
-- family, or (an anonymous visit) through its mother. Both subqueries
-- (`families WHERE district_id = $1`, `mothers WHERE district_id = $1`)
-- scanned their whole table; at 125,000 families that was most of a page's
-- time. The visits themselves are read in the list's order through
-- visits_date_idx (visited_on DESC, id DESC).
CREATE INDEX families_district_idx ON families (district_id) WHERE district_id IS NOT NULL;
CREATE INDEX mothers_district_idx ON mothers (district_id) WHERE district_id IS NOT NULL;
