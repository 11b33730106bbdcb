// Secrets must never reach a report: credentials we send, and session tokens a real server sends back.
// The rule lives in src/redact.ts, shared with the mock's journal; this module keeps the runner's imports.

export { isSecretHeader, isSecretKey, REDACTED, redactBodyText, redactJson, redactSecretFragments, scrubSecrets, secretForms } from '../redact.js';
