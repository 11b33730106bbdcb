import type { TSchema } from '@sinclair/typebox';
import { itemsOf, propertiesOf, type SchemaRefs } from './schema-shape.js';

// RFC 4180 CSV from data: one header line of column names, then one row per item; nested values
// are written as JSON text in their cell.

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Serialises rows (an array of objects, one object, or scalars) as CSV with CRLF line ends. */
export function toCsv(value: unknown, schema: TSchema | undefined, refs: SchemaRefs): string {
  if (typeof value === 'string') return value;
  const rows = Array.isArray(value) ? value : [value];
  const itemSchema = Array.isArray(value) ? itemsOf(schema, refs) : schema;
  if (!rows.some(isRecord) && (rows.length > 0 || propertiesOf(itemSchema, refs).size === 0)) return rows.map((r) => `${cell(r)}\r\n`).join('');
  // Columns: the schema's properties first (so an empty list still has its header), then any others in order of appearance.
  const columns = [...propertiesOf(itemSchema, refs).keys()];
  const known = new Set(columns);
  for (const row of rows) if (isRecord(row)) for (const key of Object.keys(row)) if (!known.has(key)) (known.add(key), columns.push(key));
  const lines = [columns.map(cell).join(',')];
  for (const row of rows) lines.push(isRecord(row) ? columns.map((c) => cell(row[c])).join(',') : cell(row));
  return `${lines.join('\r\n')}\r\n`;
}
