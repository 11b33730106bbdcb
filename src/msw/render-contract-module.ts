import type { Api } from '../openapi/api-model.js';
import type { Fixture } from '../mock/fixture.js';

// A precompiled contract: the loaded, bundled document (every `$ref` inside it) and the JSON fixtures, as
// an ES module a browser app imports and hands to createHandlers — no YAML parser or OpenAPI validator ships.

/** What a precompiled contract module exports by default. */
export interface ContractModule {
  document: Record<string, unknown>;
  fixtures: Record<string, Record<string, { status?: number; headers?: Record<string, string>; summary?: string; body?: unknown }>>;
}

/** Renders the module text; fixture builders (code) cannot be carried as data and are listed in `skipped`. */
export function renderContractModule(api: Api, fixtures: Map<string, Fixture[]>, header: string): { source: string; skipped: string[] } {
  const data: ContractModule['fixtures'] = {};
  const skipped: string[] = [];
  for (const [operationId, list] of fixtures) {
    for (const f of list) {
      if (f.build) {
        skipped.push(f.file);
        continue;
      }
      (data[operationId] ??= {})[f.name] = {
        ...(f.status !== undefined ? { status: f.status } : {}),
        ...(f.headers ? { headers: f.headers } : {}),
        ...(f.summary !== undefined ? { summary: f.summary } : {}),
        ...(f.body !== undefined ? { body: f.body } : {}),
      };
    }
  }
  const contract: ContractModule = { document: api.document as Record<string, unknown>, fixtures: data };
  const source = `${header}\n/** The contract, loaded and bundled; pass it to createHandlers(contract.document, { fixtures: contract.fixtures }). */\nconst contract = ${JSON.stringify(contract, null, 1)};\nexport default contract;\n`;
  return { source, skipped };
}
