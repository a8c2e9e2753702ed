DROP TRIGGER opportunities_cells ON opportunities;
DROP FUNCTION opportunities_cells();
DROP FUNCTION forecast_cell_add(opportunities, BIGINT);
DROP TABLE forecast_cells;
