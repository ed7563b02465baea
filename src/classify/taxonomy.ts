// The labels described in docs/taxonomy.md (what each covers, default agencies): the contract
// between the classifier, routing rules, evaluation sets and the console's filters. Exactly these
// identifiers, nothing else.

export const INTENTS = ['question', 'feedback', 'service_support', 'press', 'status', 'other'] as const;
export type Intent = (typeof INTENTS)[number];

export const TOPICS = [
  'transport',
  'urban_infrastructure',
  'urban_order',
  'environment',
  'land_housing',
  'public_security',
  'residence_identity',
  'electricity',
  'water_supply',
  'health',
  'education',
  'labor_social',
  'civil_justice',
  'business_tax',
  'commerce_consumer',
  'culture_media',
  'digital_services',
  'general',
] as const;
export type Topic = (typeof TOPICS)[number];

export const isIntent = (v: unknown): v is Intent => typeof v === 'string' && (INTENTS as readonly string[]).includes(v);
export const isTopic = (v: unknown): v is Topic => typeof v === 'string' && (TOPICS as readonly string[]).includes(v);
