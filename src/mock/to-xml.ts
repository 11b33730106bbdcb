import type { TSchema } from '@sinclair/typebox';
import { additionalPropertiesOf, itemsOf, propertiesOf, refNameOf, xmlOf, type SchemaRefs } from './schema-shape.js';

// Data to XML the way OpenAPI describes it: element names from the schema's `xml.name` (or the
// component or property name), `xml.attribute` properties as attributes, arrays unwrapped unless
// `xml.wrapped`, `xml.prefix`/`xml.namespace` on the element.

const maxDepth = 64;

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

/** A valid XML name for any property name: invalid characters become `_`, a bad first character gets a `_` in front. */
function xmlName(name: string): string {
  const cleaned = name.replace(/[^\p{L}\p{N}._-]/gu, '_');
  return /^[\p{L}_]/u.test(cleaned) ? cleaned : `_${cleaned}`;
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}

interface Named {
  tag: string;
  namespace?: string;
  prefix?: string;
}

function naming(schema: unknown, refs: SchemaRefs, fallback: string): Named {
  const xml = xmlOf(schema, refs);
  const local = xmlName(xml.name ?? fallback);
  const prefix = xml.prefix ? xmlName(xml.prefix) : undefined;
  return { tag: prefix ? `${prefix}:${local}` : local, namespace: xml.namespace, prefix };
}

function namespaceAttribute(named: Named): string {
  if (!named.namespace) return '';
  return ` ${named.prefix ? `xmlns:${named.prefix}` : 'xmlns'}="${escapeAttribute(named.namespace)}"`;
}

function element(value: unknown, schema: unknown, name: string, refs: SchemaRefs, indent: string, depth: number): string {
  const named = naming(schema, refs, name);
  const open = `${named.tag}${namespaceAttribute(named)}`;
  if (value === null || value === undefined || depth > maxDepth) return `${indent}<${open}/>`;
  if (Array.isArray(value)) {
    // An array as a value of its own (the root, or an item of an array) wraps its items.
    return `${indent}<${open}>\n${arrayItems(value, schema, name, refs, `${indent}  `, depth + 1)}\n${indent}</${named.tag}>`;
  }
  if (typeof value !== 'object') return `${indent}<${open}>${escapeText(scalarText(value))}</${named.tag}>`;

  const properties = propertiesOf(schema, refs);
  const additional = additionalPropertiesOf(schema, refs);
  let attributes = '';
  const children: string[] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (child === undefined) continue;
    const sub = properties.get(key) ?? additional;
    const xml = xmlOf(sub, refs);
    if (xml.attribute && (child === null || typeof child !== 'object')) {
      const attrName = naming(sub, refs, key).tag;
      attributes += ` ${attrName}="${escapeAttribute(child === null ? '' : scalarText(child))}"`;
    } else if (Array.isArray(child)) {
      children.push(arrayProperty(child, sub, key, refs, `${indent}  `, depth + 1));
    } else {
      children.push(element(child, sub, key, refs, `${indent}  `, depth + 1));
    }
  }
  const body = children.filter((c) => c !== '');
  if (body.length === 0) return `${indent}<${open}${attributes}/>`;
  return `${indent}<${open}${attributes}>\n${body.join('\n')}\n${indent}</${named.tag}>`;
}

function itemName(schema: unknown, refs: SchemaRefs, fallback: string): string {
  const items = itemsOf(schema, refs);
  return xmlOf(items, refs).name ?? refNameOf(items, refs) ?? fallback;
}

function arrayItems(values: unknown[], schema: unknown, name: string, refs: SchemaRefs, indent: string, depth: number): string {
  const items = itemsOf(schema, refs);
  const tag = itemName(schema, refs, name === 'items' ? 'item' : name);
  return values.map((v) => element(v, items, tag, refs, indent, depth)).join('\n');
}

/** An array-valued property: repeated elements, or one wrapper element around them with `xml.wrapped`. */
function arrayProperty(values: unknown[], schema: unknown, name: string, refs: SchemaRefs, indent: string, depth: number): string {
  const xml = xmlOf(schema, refs);
  if (!xml.wrapped) {
    const items = itemsOf(schema, refs);
    const tag = xmlOf(items, refs).name ?? xml.name ?? name;
    return values.map((v) => element(v, items, tag, refs, indent, depth)).join('\n');
  }
  return element(values, schema, name, refs, indent, depth);
}

/** Serialises a value as an XML document; the root element is named by the schema, its component, or `fallback`. */
export function toXml(value: unknown, schema: TSchema | undefined, refs: SchemaRefs, fallback = 'root'): string {
  const rootName = xmlOf(schema, refs).name ?? refNameOf(schema, refs) ?? (Array.isArray(value) ? plural(itemName(schema, refs, 'item')) : fallback);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(value, schema, rootName, refs, '', 0)}\n`;
}

function plural(name: string): string {
  return name === 'item' ? 'items' : `${name}s`;
}
