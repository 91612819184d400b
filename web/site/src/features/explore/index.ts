// What other pages may use of the map's filters: the same URL means the same reports everywhere.
export { apiQuery, filtersToQuery, parseFilters } from './filters';
export type { Filters } from './filters';
