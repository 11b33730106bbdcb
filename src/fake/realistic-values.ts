import type { Faker } from '@faker-js/faker';
import type { FakePerson, GenerateState } from './generate-state.js';

// Faker's templated helpers (company.name, person.fullName, location.city) cost 5-13 µs each
// because they parse mustache templates per call; the mock answers thousands of requests a second,
// so the hot values are assembled here from the same locale word lists with direct picks.

/** A string producer for one kind of realistic value. */
export type StringMaker = (state: GenerateState) => string;

const HEX = '0123456789abcdef';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ALNUM_UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CHANNEL_SUFFIXES = ['support', 'team', 'ops', 'sales', 'dev', 'general', 'alerts', 'billing', 'success'];
const LOCALES = ['en_US', 'en_GB', 'de_DE', 'de_AT', 'fr_FR', 'es_ES', 'it_IT', 'nl_NL', 'pl_PL', 'sv_SE', 'pt_BR', 'ja_JP'];
const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pl', 'sv', 'pt', 'ja', 'da', 'fi'];
const MIME_TYPES = ['application/json', 'application/pdf', 'image/png', 'image/jpeg', 'text/plain', 'text/csv', 'text/html'];
const FILE_EXTENSIONS = ['pdf', 'png', 'jpg', 'csv', 'txt', 'json', 'docx', 'xlsx'];
const ROLES = ['admin', 'editor', 'viewer', 'owner', 'member', 'support'];
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
];

/** Random characters from an alphabet. */
export function randomChars(state: GenerateState, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(state.rng.next() * alphabet.length)];
  return out;
}

/** Random lower-case hex, eight characters per 32-bit draw. */
function randomHex(state: GenerateState, length: number): string {
  let out = '';
  while (out.length < length) out += state.rng.nextUint32().toString(16).padStart(8, '0');
  return out.length === length ? out : out.slice(0, length);
}

/** Random base64url, five characters per 32-bit draw (six bits each). */
function randomBase64Url(state: GenerateState, length: number): string {
  let out = '';
  while (out.length < length) {
    let bits = state.rng.nextUint32();
    for (let k = 0; k < 5 && out.length < length; k++, bits >>>= 6) out += BASE64URL[bits & 63];
  }
  return out;
}

function words(faker: Faker, path: string[]): string[] {
  let node: unknown = faker.rawDefinitions;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
  if (Array.isArray(node)) return node.filter((w): w is string => typeof w === 'string');
  if (node && typeof node === 'object') {
    return Object.values(node).flatMap((v) => (Array.isArray(v) ? v.filter((w): w is string => typeof w === 'string') : []));
  }
  return [];
}

function orDefault(list: string[], fallback: string[]): string[] {
  return list.length > 0 ? list : fallback;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/-+/g, '-');
}

function ascii(text: string): string {
  return text.normalize('NFKD').replace(/[^a-zA-Z0-9]/g, '');
}

/** The realistic value makers of one Faker instance, built once per generator from its locale lists. */
export interface RealisticValues {
  firstName: StringMaker;
  lastName: StringMaker;
  fullName: StringMaker;
  username: StringMaker;
  email: StringMaker;
  company: StringMaker;
  slackChannel: StringMaker;
  sessionId: StringMaker;
  token: StringMaker;
  hash: StringMaker;
  shortCode: StringMaker;
  ipv4: StringMaker;
  ipv6: StringMaker;
  ip: StringMaker;
  uuid: StringMaker;
  url: StringMaker;
  imageUrl: StringMaker;
  hostname: StringMaker;
  phone: StringMaker;
  country: StringMaker;
  countryCode: StringMaker;
  city: StringMaker;
  street: StringMaker;
  zip: StringMaker;
  state: StringMaker;
  currency: StringMaker;
  locale: StringMaker;
  language: StringMaker;
  timeZone: StringMaker;
  sentence: StringMaker;
  title: StringMaker;
  word: StringMaker;
  words: StringMaker;
  color: StringMaker;
  colorName: StringMaker;
  password: StringMaker;
  userAgent: StringMaker;
  mimeType: StringMaker;
  fileName: StringMaker;
  path: StringMaker;
  version: StringMaker;
  slug: StringMaker;
  role: StringMaker;
  byte: StringMaker;
  time: StringMaker;
}

/** Builds the makers for `faker`'s locale; every maker draws only from the state's seeded randomizer. */
export function createRealisticValues(faker: Faker): RealisticValues {
  const firstNames = orDefault(words(faker, ['person', 'first_name']), ['Alex', 'Sam', 'Maria', 'Jonas']);
  const lastNames = orDefault(words(faker, ['person', 'last_name']), ['Smith', 'Meyer', 'Garcia', 'Novak']);
  const legal = orDefault(words(faker, ['company', 'legal_entity_type']), ['Inc', 'LLC', 'Group']);
  const lorem = orDefault(words(faker, ['lorem', 'word']), ['lorem', 'ipsum', 'dolor', 'sit', 'amet']);
  const adjectives = orDefault(words(faker, ['word', 'adjective']), ['bright', 'quiet', 'swift']);
  const nouns = orDefault(words(faker, ['word', 'noun']), ['river', 'stone', 'garden']);
  const freeMail = orDefault(words(faker, ['internet', 'free_email']), ['gmail.com', 'yahoo.com']);
  const domainSuffixes = orDefault(words(faker, ['internet', 'domain_suffix']), ['com', 'net', 'org']);
  const countries = orDefault(words(faker, ['location', 'country']), ['Germany', 'France', 'Spain']);
  const cities = orDefault(words(faker, ['location', 'city_name']), ['Berlin', 'Hamburg', 'Munich']);
  const streets = orDefault(words(faker, ['location', 'street_name']), ['Main Street', 'High Street']);
  const states = orDefault(words(faker, ['location', 'state']), ['Bavaria', 'Saxony']);
  const timeZones = orDefault(words(faker, ['location', 'time_zone']), ['Europe/Berlin', 'UTC']);
  const colors = orDefault(words(faker, ['color', 'human']), ['blue', 'red', 'green']);
  const raw = faker.rawDefinitions as {
    location?: { country_code?: { alpha2?: string }[] };
    finance?: { currency?: { code?: string }[] };
  };
  const countryCodes = orDefault(
    (raw.location?.country_code ?? []).map((c) => c.alpha2).filter((c): c is string => typeof c === 'string'),
    ['DE', 'AT', 'CH', 'FR', 'US'],
  );
  const currencies = orDefault(
    (raw.finance?.currency ?? []).map((c) => c.code).filter((c): c is string => typeof c === 'string' && /^[A-Z]{3}$/.test(c)),
    ['EUR', 'USD', 'GBP', 'CHF'],
  );

  const person = (s: GenerateState): FakePerson => {
    if (!s.person) s.person = { first: s.rng.pick(firstNames), last: s.rng.pick(lastNames) };
    return s.person;
  };
  // A company's short key (its first name, slugged) is what its Slack channel and mail domain use.
  const lastNameKeys = lastNames.map((n) => slug(n).split('-')[0] || 'team');
  const company = (s: GenerateState): string => {
    if (s.company === undefined) {
      const roll = s.rng.next();
      const index = s.rng.int(0, lastNames.length - 1);
      const a = lastNames[index];
      s.companyKey = lastNameKeys[index];
      if (roll < 0.6) s.company = `${a} ${s.rng.pick(legal)}`;
      else if (roll < 0.85) s.company = `${a}-${s.rng.pick(lastNames)}`;
      else s.company = `${a}, ${s.rng.pick(lastNames)} and ${s.rng.pick(lastNames)}`;
    }
    return s.company;
  };
  const companyKey = (s: GenerateState): string => {
    company(s);
    return s.companyKey ?? 'team';
  };
  const domainWord = (s: GenerateState): string => `${slug(s.rng.pick(adjectives))}-${slug(s.rng.pick(nouns))}`;
  const hostname = (s: GenerateState): string => `${domainWord(s)}.${s.rng.pick(domainSuffixes)}`;
  const ipv4 = (s: GenerateState): string =>
    // First octet 11..223 keeps clear of 0/8, 10/8 and multicast, so the address looks public.
    `${s.rng.int(11, 223)}.${s.rng.int(0, 255)}.${s.rng.int(0, 255)}.${s.rng.int(1, 254)}`;
  const ipv6 = (s: GenerateState): string => {
    const groups = ['2001', 'db8'];
    for (let i = 0; i < 6; i++) groups.push(s.rng.int(0, 0xffff).toString(16));
    return groups.join(':');
  };
  const sentence = (s: GenerateState): string => {
    const count = s.rng.int(4, 10);
    let text = capitalise(s.rng.pick(lorem));
    for (let i = 1; i < count; i++) text += ` ${s.rng.pick(lorem)}`;
    return `${text}.`;
  };

  return {
    firstName: (s) => person(s).first,
    lastName: (s) => person(s).last,
    fullName: (s) => {
      const p = person(s);
      return `${p.first} ${p.last}`;
    },
    username: (s) => {
      const p = person(s);
      return `${ascii(p.first).toLowerCase()}.${ascii(p.last).toLowerCase()}${s.rng.int(1, 99)}`;
    },
    email: (s) => {
      const p = person(s);
      const local = `${ascii(p.first)}.${ascii(p.last)}`.toLowerCase() || 'user';
      return `${local}@${s.company === undefined ? s.rng.pick(freeMail) : `${companyKey(s)}.com`}`;
    },
    company,
    slackChannel: (s) => `#${companyKey(s)}-${s.rng.pick(CHANNEL_SUFFIXES)}`,
    sessionId: (s) => randomHex(s, 32),
    token: (s) => randomBase64Url(s, 43),
    hash: (s) => randomHex(s, 64),
    shortCode: (s) => randomChars(s, ALNUM_UPPER, 8),
    ipv4,
    ipv6,
    ip: (s) => (s.rng.chance(0.85) ? ipv4(s) : ipv6(s)),
    uuid: (s) => {
      const h = randomHex(s, 32);
      const variant = '89ab'[s.rng.int(0, 3)];
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
    },
    url: (s) => `https://${hostname(s)}/${slug(s.rng.pick(nouns))}`,
    imageUrl: (s) => `https://picsum.photos/seed/${randomChars(s, HEX, 8)}/640/480`,
    hostname,
    phone: (s) => `+49 ${s.rng.int(30, 89)} ${s.rng.int(1000000, 9999999)}`,
    country: (s) => s.rng.pick(countries),
    countryCode: (s) => s.rng.pick(countryCodes),
    city: (s) => s.rng.pick(cities),
    street: (s) => `${s.rng.int(1, 999)} ${s.rng.pick(streets)}`,
    zip: (s) => String(s.rng.int(10000, 99999)),
    state: (s) => s.rng.pick(states),
    currency: (s) => s.rng.pick(currencies),
    locale: (s) => s.rng.pick(LOCALES),
    language: (s) => s.rng.pick(LANGUAGES),
    timeZone: (s) => s.rng.pick(timeZones),
    sentence,
    title: (s) => `${capitalise(s.rng.pick(adjectives))} ${s.rng.pick(nouns)}`,
    word: (s) => s.rng.pick(lorem),
    words: (s) => {
      const count = s.rng.int(1, 3);
      let text = s.rng.pick(lorem);
      for (let i = 1; i < count; i++) text += ` ${s.rng.pick(lorem)}`;
      return text;
    },
    color: (s) => `#${randomChars(s, HEX, 6)}`,
    colorName: (s) => s.rng.pick(colors),
    password: (s) => `${randomChars(s, BASE64URL, 14)}!${s.rng.int(10, 99)}`,
    userAgent: (s) => s.rng.pick(USER_AGENTS),
    mimeType: (s) => s.rng.pick(MIME_TYPES),
    fileName: (s) => `${slug(s.rng.pick(nouns))}-${s.rng.int(1, 999)}.${s.rng.pick(FILE_EXTENSIONS)}`,
    path: (s) => `/${slug(s.rng.pick(nouns))}/${slug(s.rng.pick(nouns))}`,
    version: (s) => `${s.rng.int(0, 9)}.${s.rng.int(0, 20)}.${s.rng.int(0, 20)}`,
    slug: (s) => `${slug(s.rng.pick(adjectives))}-${slug(s.rng.pick(nouns))}`,
    role: (s) => s.rng.pick(ROLES),
    byte: (s) => {
      const text = randomChars(s, BASE64, 4 * s.rng.int(2, 8));
      return s.rng.chance(0.5) ? `${text.slice(0, -2)}==` : text;
    },
    time: (s) => {
      const pad = (n: number): string => String(n).padStart(2, '0');
      return `${pad(s.rng.int(0, 23))}:${pad(s.rng.int(0, 59))}:${pad(s.rng.int(0, 59))}Z`;
    },
  };
}
