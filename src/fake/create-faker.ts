import type { Faker, LocaleDefinition, Randomizer } from '@faker-js/faker';
// The package root evaluates all of Faker's ~70 locales (about 0.7 s of every start);
// the English entry point evaluates one, and its instance's class builds ours.
import { faker as english } from '@faker-js/faker/locale/en';

type FakerConstructor = new (options: { locale: LocaleDefinition | LocaleDefinition[]; randomizer?: Randomizer }) => Faker;

/** A new Faker instance with its own randomizer: English (with Faker's base data) unless a locale chain is given. */
export function createFaker(randomizer?: Randomizer, locale?: LocaleDefinition[]): Faker {
  const FakerClass = english.constructor as FakerConstructor;
  return new FakerClass({ locale: locale ?? english.rawDefinitions, randomizer });
}
