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

/** The locale's word lists the makers draw from, with a small fallback where the locale has none. */
interface LocaleWords {
  firstNames: string[];
  lastNames: string[];
  /** Each last name's short key (its first word, slugged): what a company's Slack channel and mail domain use. */
  lastNameKeys: string[];
  legal: string[];
  lorem: string[];
  adjectives: string[];
  nouns: string[];
  freeMail: string[];
  domainSuffixes: string[];
  countries: string[];
  countryCodes: string[];
  cities: string[];
  streets: string[];
  states: string[];
  timeZones: string[];
  colors: string[];
  currencies: string[];
}

/** Faker's codes lists hold objects; only their code strings are taken. */
function codes(faker: Faker): Pick<LocaleWords, 'countryCodes' | 'currencies'> {
  const raw = faker.rawDefinitions as {
    location?: { country_code?: { alpha2?: string }[] };
    finance?: { currency?: { code?: string }[] };
  };
  const countryCodes = (raw.location?.country_code ?? []).map((c) => c.alpha2).filter((c): c is string => typeof c === 'string');
  const currencies = (raw.finance?.currency ?? []).map((c) => c.code).filter((c): c is string => typeof c === 'string' && /^[A-Z]{3}$/.test(c));
  return { countryCodes: orDefault(countryCodes, ['DE', 'AT', 'CH', 'FR', 'US']), currencies: orDefault(currencies, ['EUR', 'USD', 'GBP', 'CHF']) };
}

/** Reads the word lists of `faker`'s locale once. */
function localeWords(faker: Faker): LocaleWords {
  const lastNames = orDefault(words(faker, ['person', 'last_name']), ['Smith', 'Meyer', 'Garcia', 'Novak']);
  return {
    firstNames: orDefault(words(faker, ['person', 'first_name']), ['Alex', 'Sam', 'Maria', 'Jonas']),
    lastNames,
    lastNameKeys: lastNames.map((n) => slug(n).split('-')[0] || 'team'),
    legal: orDefault(words(faker, ['company', 'legal_entity_type']), ['Inc', 'LLC', 'Group']),
    lorem: orDefault(words(faker, ['lorem', 'word']), ['lorem', 'ipsum', 'dolor', 'sit', 'amet']),
    adjectives: orDefault(words(faker, ['word', 'adjective']), ['bright', 'quiet', 'swift']),
    nouns: orDefault(words(faker, ['word', 'noun']), ['river', 'stone', 'garden']),
    freeMail: orDefault(words(faker, ['internet', 'free_email']), ['gmail.com', 'yahoo.com']),
    domainSuffixes: orDefault(words(faker, ['internet', 'domain_suffix']), ['com', 'net', 'org']),
    countries: orDefault(words(faker, ['location', 'country']), ['Germany', 'France', 'Spain']),
    cities: orDefault(words(faker, ['location', 'city_name']), ['Berlin', 'Hamburg', 'Munich']),
    streets: orDefault(words(faker, ['location', 'street_name']), ['Main Street', 'High Street']),
    states: orDefault(words(faker, ['location', 'state']), ['Bavaria', 'Saxony']),
    timeZones: orDefault(words(faker, ['location', 'time_zone']), ['Europe/Berlin', 'UTC']),
    colors: orDefault(words(faker, ['color', 'human']), ['blue', 'red', 'green']),
    ...codes(faker),
  };
}

type PersonKeys = 'firstName' | 'lastName' | 'fullName' | 'username' | 'email' | 'company' | 'slackChannel';

/** One person and one company per generated value: names, username, mail and channel agree with each other. */
function personMakers(w: LocaleWords): Pick<RealisticValues, PersonKeys> {
  const person = (s: GenerateState): FakePerson => (s.person ??= { first: s.rng.pick(w.firstNames), last: s.rng.pick(w.lastNames) });
  const company = (s: GenerateState): string => {
    if (s.company === undefined) {
      const roll = s.rng.next();
      const index = s.rng.int(0, w.lastNames.length - 1);
      const a = w.lastNames[index];
      s.companyKey = w.lastNameKeys[index];
      if (roll < 0.6) s.company = `${a} ${s.rng.pick(w.legal)}`;
      else if (roll < 0.85) s.company = `${a}-${s.rng.pick(w.lastNames)}`;
      else s.company = `${a}, ${s.rng.pick(w.lastNames)} and ${s.rng.pick(w.lastNames)}`;
    }
    return s.company;
  };
  const companyKey = (s: GenerateState): string => {
    company(s);
    return s.companyKey ?? 'team';
  };
  return {
    firstName: (s) => person(s).first,
    lastName: (s) => person(s).last,
    fullName: (s) => `${person(s).first} ${person(s).last}`,
    username: (s) => `${ascii(person(s).first).toLowerCase()}.${ascii(person(s).last).toLowerCase()}${s.rng.int(1, 99)}`,
    email: (s) => {
      const p = person(s);
      const local = `${ascii(p.first)}.${ascii(p.last)}`.toLowerCase() || 'user';
      return `${local}@${s.company === undefined ? s.rng.pick(w.freeMail) : `${companyKey(s)}.com`}`;
    },
    company,
    slackChannel: (s) => `#${companyKey(s)}-${s.rng.pick(CHANNEL_SUFFIXES)}`,
  };
}

type NetworkKeys = 'ipv4' | 'ipv6' | 'ip' | 'hostname' | 'url' | 'imageUrl' | 'userAgent' | 'mimeType' | 'fileName' | 'path';

/** Addresses, hosts, URLs and what travels over them. */
function networkMakers(w: LocaleWords): Pick<RealisticValues, NetworkKeys> {
  const hostname = (s: GenerateState): string => `${slug(s.rng.pick(w.adjectives))}-${slug(s.rng.pick(w.nouns))}.${s.rng.pick(w.domainSuffixes)}`;
  const ipv4 = (s: GenerateState): string =>
    // First octet 11..223 keeps clear of 0/8, 10/8 and multicast, so the address looks public.
    `${s.rng.int(11, 223)}.${s.rng.int(0, 255)}.${s.rng.int(0, 255)}.${s.rng.int(1, 254)}`;
  const ipv6 = (s: GenerateState): string => {
    const groups = ['2001', 'db8'];
    for (let i = 0; i < 6; i++) groups.push(s.rng.int(0, 0xffff).toString(16));
    return groups.join(':');
  };
  return {
    ipv4,
    ipv6,
    ip: (s) => (s.rng.chance(0.85) ? ipv4(s) : ipv6(s)),
    hostname,
    url: (s) => `https://${hostname(s)}/${slug(s.rng.pick(w.nouns))}`,
    imageUrl: (s) => `https://picsum.photos/seed/${randomChars(s, HEX, 8)}/640/480`,
    userAgent: (s) => s.rng.pick(USER_AGENTS),
    mimeType: (s) => s.rng.pick(MIME_TYPES),
    fileName: (s) => `${slug(s.rng.pick(w.nouns))}-${s.rng.int(1, 999)}.${s.rng.pick(FILE_EXTENSIONS)}`,
    path: (s) => `/${slug(s.rng.pick(w.nouns))}/${slug(s.rng.pick(w.nouns))}`,
  };
}

type PlaceKeys = 'phone' | 'country' | 'countryCode' | 'city' | 'street' | 'zip' | 'state' | 'currency' | 'locale' | 'language' | 'timeZone';

/** Where someone lives and what they speak and pay in. */
function placeMakers(w: LocaleWords): Pick<RealisticValues, PlaceKeys> {
  return {
    phone: (s) => `+49 ${s.rng.int(30, 89)} ${s.rng.int(1000000, 9999999)}`,
    country: (s) => s.rng.pick(w.countries),
    countryCode: (s) => s.rng.pick(w.countryCodes),
    city: (s) => s.rng.pick(w.cities),
    street: (s) => `${s.rng.int(1, 999)} ${s.rng.pick(w.streets)}`,
    zip: (s) => String(s.rng.int(10000, 99999)),
    state: (s) => s.rng.pick(w.states),
    currency: (s) => s.rng.pick(w.currencies),
    locale: (s) => s.rng.pick(LOCALES),
    language: (s) => s.rng.pick(LANGUAGES),
    timeZone: (s) => s.rng.pick(w.timeZones),
  };
}

/** `count` lorem words from `first` on, joined by spaces. */
function loremWords(s: GenerateState, w: LocaleWords, first: string, count: number): string {
  let text = first;
  for (let i = 1; i < count; i++) text += ` ${s.rng.pick(w.lorem)}`;
  return text;
}

type TextKeys = 'sentence' | 'title' | 'word' | 'words' | 'color' | 'colorName' | 'version' | 'slug' | 'role';

/** Prose and labels. */
function textMakers(w: LocaleWords): Pick<RealisticValues, TextKeys> {
  return {
    sentence: (s) => {
      const count = s.rng.int(4, 10);
      return `${loremWords(s, w, capitalise(s.rng.pick(w.lorem)), count)}.`;
    },
    title: (s) => `${capitalise(s.rng.pick(w.adjectives))} ${s.rng.pick(w.nouns)}`,
    word: (s) => s.rng.pick(w.lorem),
    words: (s) => {
      const count = s.rng.int(1, 3);
      return loremWords(s, w, s.rng.pick(w.lorem), count);
    },
    color: (s) => `#${randomChars(s, HEX, 6)}`,
    colorName: (s) => s.rng.pick(w.colors),
    version: (s) => `${s.rng.int(0, 9)}.${s.rng.int(0, 20)}.${s.rng.int(0, 20)}`,
    slug: (s) => `${slug(s.rng.pick(w.adjectives))}-${slug(s.rng.pick(w.nouns))}`,
    role: (s) => s.rng.pick(ROLES),
  };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

type RandomKeys = 'sessionId' | 'token' | 'hash' | 'shortCode' | 'uuid' | 'password' | 'byte' | 'time';

/** Values that are random by nature: identifiers, secrets, encoded bytes. */
const randomMakers: Pick<RealisticValues, RandomKeys> = {
  sessionId: (s) => randomHex(s, 32),
  token: (s) => randomBase64Url(s, 43),
  hash: (s) => randomHex(s, 64),
  shortCode: (s) => randomChars(s, ALNUM_UPPER, 8),
  uuid: (s) => {
    const h = randomHex(s, 32);
    const variant = '89ab'[s.rng.int(0, 3)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
  },
  password: (s) => `${randomChars(s, BASE64URL, 14)}!${s.rng.int(10, 99)}`,
  byte: (s) => {
    const text = randomChars(s, BASE64, 4 * s.rng.int(2, 8));
    return s.rng.chance(0.5) ? `${text.slice(0, -2)}==` : text;
  },
  time: (s) => `${pad2(s.rng.int(0, 23))}:${pad2(s.rng.int(0, 59))}:${pad2(s.rng.int(0, 59))}Z`,
};

/** Builds the makers for `faker`'s locale; every maker draws only from the state's seeded randomizer. */
export function createRealisticValues(faker: Faker): RealisticValues {
  const w = localeWords(faker);
  return { ...personMakers(w), ...networkMakers(w), ...placeMakers(w), ...textMakers(w), ...randomMakers };
}
