DROP TRIGGER opportunities_cells_delete;
DROP TRIGGER opportunities_cells_update;
DROP TRIGGER opportunities_cells_insert;
DROP TABLE forecast_cells;
