/** The anchor for generated timestamps when a seed makes runs reproducible: the seed's own example date. */
export const seededNow = Date.parse('2025-05-04T09:42:00Z');
