import type { RealisticValues, StringMaker } from './realistic-values.js';

// Property names say more about a value than its type: `ip`, `sessionid`, `displayname`.
// Names are split into lower-case words (camelCase, snake_case, kebab-case) and joined into one
// squashed form; the tables below match on either.

/** The words of a property name, e.g. `refreshed_start` → ["refreshed", "start"], `createdAt` → ["created", "at"]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const TIME_WORDS = new Set([
  'created', 'creation', 'updated', 'modified', 'changed', 'deleted', 'timestamp', 'datetime', 'date',
  'start', 'started', 'starts', 'end', 'ended', 'ends', 'expires', 'expiry', 'expired', 'expiration',
  'refreshed', 'until', 'since', 'birthday', 'issued', 'login', 'logout', 'seen', 'published', 'scheduled',
]);
const TIME_SUFFIXES = new Set(['at', 'on', 'date', 'datetime', 'time', 'timestamp', 'ts']);
const RANGE_STEMS = new Set(['valid', 'date', 'time', 'period', 'active', 'available', 'effective', 'visible']);

/** True when the name says the value is a point in time (`created`, `updated_at`, `valid_from`, `startDate`). */
export function isTimeName(name: string): boolean {
  const w = nameWords(name);
  if (w.length === 0) return false;
  const last = w[w.length - 1];
  if (w.length > 1 && TIME_SUFFIXES.has(last) && last !== 'time') return true;
  if ((last === 'from' || last === 'to') && w.length > 1 && RANGE_STEMS.has(w[0])) return true;
  return w.some((word) => TIME_WORDS.has(word)) && !w.includes('by') && !w.includes('id');
}

const EARLY = new Set(['created', 'creation', 'start', 'started', 'starts', 'begin', 'begins', 'from', 'since', 'issued', 'opened']);
const LATE = new Set([
  'updated', 'modified', 'changed', 'refreshed', 'end', 'ended', 'ends', 'finish', 'finished', 'until', 'to',
  'expires', 'expiry', 'expired', 'closed', 'stop', 'stopped',
]);
const TIME_NOISE = new Set(['at', 'on', 'date', 'datetime', 'time', 'timestamp', 'ts', 'utc']);

/** Where a timestamp sits in an ordered pair: `early` (created, start, *_from) before `late` (updated, end, *_to) of the same stem. */
export interface TimeRole {
  role: 'early' | 'late';
  stem: string;
}

/** The timestamp role of a property name, or undefined when it pairs with nothing. */
export function timeRole(name: string): TimeRole | undefined {
  const w = nameWords(name);
  const late = w.some((word) => LATE.has(word));
  const early = !late && w.some((word) => EARLY.has(word));
  if (!late && !early) return undefined;
  const stem = w.filter((word) => !EARLY.has(word) && !LATE.has(word) && !TIME_NOISE.has(word)).join('_');
  return { role: late ? 'late' : 'early', stem };
}

type Rule = [test: (squashed: string, words: string[]) => boolean, pick: (v: RealisticValues) => StringMaker];

const is = (...names: string[]) => (s: string) => names.includes(s);
const endsWith = (...ends: string[]) => (s: string) => ends.some((e) => s.endsWith(e));
const hasWord = (...names: string[]) => (_: string, w: string[]) => w.some((word) => names.includes(word));
const lastWord = (...names: string[]) => (_: string, w: string[]) => names.includes(w[w.length - 1]);

// Order matters: the first matching rule wins (e.g. `sessionid` before the generic `*id`).
const STRING_RULES: Rule[] = [
  [(s) => s.includes('session') && !s.endsWith('count'), (v) => v.sessionId],
  [endsWith('token', 'secret', 'apikey', 'nonce', 'accesskey', 'privatekey', 'signature'), (v) => v.token],
  [(s) => s === 'key' || s === 'secretkey', (v) => v.token],
  [endsWith('hash', 'checksum', 'digest', 'sha', 'sha256', 'fingerprint', 'etag'), (v) => v.hash],
  [(s, w) => s === 'ip' || w[w.length - 1] === 'ip' || endsWith('ipaddress', 'remoteaddr', 'remoteaddress')(s), (v) => v.ip],
  [lastWord('ipv4'), (v) => v.ipv4],
  [lastWord('ipv6'), (v) => v.ipv6],
  [lastWord('uuid', 'guid'), (v) => v.uuid],
  [(s, w) => w.includes('email') || w.includes('mail') || s.endsWith('email'), (v) => v.email],
  [is('username', 'login', 'nickname', 'nick', 'handle', 'screenname', 'accountname', 'user', 'userlogin'), (v) => v.username],
  [is('firstname', 'givenname', 'forename', 'first'), (v) => v.firstName],
  [is('lastname', 'surname', 'familyname', 'last'), (v) => v.lastName],
  [is('fullname', 'name', 'contactname', 'author', 'ownername', 'personname', 'realname', 'customerfullname'), (v) => v.fullName],
  [
    is('displayname', 'company', 'companyname', 'organisation', 'organization', 'org', 'orgname', 'customer', 'customername',
      'tenant', 'tenantname', 'brand', 'vendor', 'merchant', 'employer', 'business', 'businessname', 'account'),
    (v) => v.company,
  ],
  [(s) => s.endsWith('channel') || s === 'channelname', (v) => v.slackChannel],
  [hasWord('avatar', 'image', 'photo', 'picture', 'logo', 'icon', 'thumbnail'), (v) => v.imageUrl],
  [(s, w) => w.some((word) => ['url', 'uri', 'link', 'href', 'website', 'homepage', 'webhook', 'endpoint'].includes(word)), (v) => v.url],
  [(s) => ['hostname', 'host', 'domain', 'domainname', 'fqdn'].includes(s), (v) => v.hostname],
  [hasWord('phone', 'mobile', 'tel', 'telephone', 'fax', 'cell', 'phonenumber'), (v) => v.phone],
  [is('countrycode', 'countryiso', 'country_code', 'iso2'), (v) => v.countryCode],
  [lastWord('country'), (v) => v.country],
  [lastWord('city', 'town'), (v) => v.city],
  [(s, w) => ['street', 'streetaddress', 'address', 'addressline', 'addressline1', 'line1'].includes(s) || w.includes('street'), (v) => v.street],
  [is('zip', 'zipcode', 'postcode', 'postalcode', 'plz'), (v) => v.zip],
  [is('state', 'province', 'region', 'county'), (v) => v.state],
  [(s, w) => w.includes('currency'), (v) => v.currency],
  [lastWord('locale'), (v) => v.locale],
  [(s, w) => w.includes('language') || w.includes('lang') || s === 'languagecode', (v) => v.language],
  [(s) => s === 'timezone' || s === 'tz' || s === 'tzname', (v) => v.timeZone],
  [
    hasWord('description', 'summary', 'comment', 'comments', 'note', 'notes', 'bio', 'about', 'message', 'body', 'content', 'text', 'details', 'remark', 'reason'),
    (v) => v.sentence,
  ],
  [hasWord('title', 'subject', 'headline', 'label', 'caption', 'heading'), (v) => v.title],
  [(s, w) => s.endsWith('colorname') || s.endsWith('colourname'), (v) => v.colorName],
  [(s, w) => w.includes('color') || w.includes('colour'), (v) => v.color],
  [hasWord('password', 'passwd', 'pwd', 'passphrase'), (v) => v.password],
  [(s) => s === 'useragent' || s === 'ua', (v) => v.userAgent],
  [is('mimetype', 'contenttype', 'mediatype', 'mime'), (v) => v.mimeType],
  [(s) => s === 'filename' || s === 'file' || s === 'attachment', (v) => v.fileName],
  [(s) => s === 'path' || s === 'filepath' || s === 'directory', (v) => v.path],
  [lastWord('version'), (v) => v.version],
  [lastWord('slug'), (v) => v.slug],
  [lastWord('role'), (v) => v.role],
  [(s, w) => w[w.length - 1] === 'code', (v) => v.shortCode],
  [(s, w) => w[w.length - 1] === 'id' || s.endsWith('id'), (v) => v.uuid],
];

/** The realistic string maker a property name asks for, if any. */
export function stringHintForName(name: string, values: RealisticValues): StringMaker | undefined {
  const words = nameWords(name);
  const squashed = words.join('');
  if (squashed === '') return undefined;
  for (const [test, pick] of STRING_RULES) if (test(squashed, words)) return pick(values);
  return undefined;
}

/** A realistic numeric range a property name asks for: `id` → 1..1,000,000, `age` → 18..90, `price` → 1..1000 (2 decimals). */
export interface NumberHint {
  min: number;
  max: number;
  /** Decimal places for non-integers. */
  decimals?: number;
  /** The value is an epoch time (seconds, or ms when `millis`) near `now`. */
  epoch?: 'seconds' | 'millis';
}

/** The numeric hint for a property name, if any. */
export function numberHintForName(name: string): NumberHint | undefined {
  const w = nameWords(name);
  const s = w.join('');
  if (s === '') return undefined;
  const last = w[w.length - 1];
  if (isTimeName(name) && !w.includes('count')) return { min: 0, max: 0, epoch: w.includes('ms') || w.includes('millis') ? 'millis' : 'seconds' };
  if (last === 'id' || s.endsWith('id') || last === 'pk') return { min: 1, max: 1_000_000 };
  if (s === 'age') return { min: 18, max: 90 };
  if (s === 'year') return { min: 2000, max: 2030 };
  if (s === 'month') return { min: 1, max: 12 };
  if (s === 'day') return { min: 1, max: 28 };
  if (s === 'port') return { min: 1024, max: 65535 };
  if (['lat', 'latitude'].includes(s)) return { min: -90, max: 90, decimals: 6 };
  if (['lng', 'lon', 'long', 'longitude'].includes(s)) return { min: -180, max: 180, decimals: 6 };
  if (w.some((x) => ['percent', 'percentage', 'ratio'].includes(x))) return { min: 0, max: 100, decimals: 1 };
  if (w.some((x) => ['price', 'amount', 'cost', 'total', 'balance', 'fee', 'salary', 'revenue'].includes(x))) return { min: 1, max: 1000, decimals: 2 };
  if (w.some((x) => ['count', 'quantity', 'qty', 'size', 'number', 'num', 'length', 'page', 'limit'].includes(x))) return { min: 1, max: 100 };
  if (w.some((x) => ['rating', 'score', 'stars'].includes(x))) return { min: 1, max: 5 };
  return undefined;
}

/** The chance that a boolean property is true: `deleted` rarely, `valid` usually, others evenly. */
export function trueProbabilityForName(name: string): number {
  const w = nameWords(name);
  const s = w.join('');
  if (w.some((x) => ['deleted', 'disabled', 'archived', 'blocked', 'locked', 'banned', 'expired', 'suspended', 'error', 'failed'].includes(x))) return 0.1;
  if (s.startsWith('missing')) return 0.2;
  if (w.some((x) => ['valid', 'active', 'enabled', 'verified', 'success', 'ok', 'confirmed', 'available'].includes(x))) return 0.9;
  return 0.5;
}
