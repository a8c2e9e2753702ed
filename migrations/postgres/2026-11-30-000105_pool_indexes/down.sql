DROP INDEX customers_pool_region_updated;
DROP INDEX customers_pool_updated;
