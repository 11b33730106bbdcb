import { documentWarnings } from './src/openapi/document-warnings.ts';
import { parseSpecText } from './src/openapi/parse-spec-text.ts';
import { readFileSync, readdirSync } from 'fs';
for (const f of readdirSync('/work/shared/specs/public').filter(f => !f.endsWith('.md'))) {
  const p = '/work/shared/specs/public/'+f;
  let t = performance.now();
  const d = await parseSpecText(readFileSync(p,'utf8'), p) as Record<string, unknown>;
  const tp = performance.now()-t; t = performance.now();
  const w = await documentWarnings(d);
  console.log(f, 'parse', Math.round(tp), 'validate', Math.round(performance.now()-t), w.length, w.slice(0,3));
}
