import { intakeFlow } from './intake';
import type { Flow } from './types';

export type { Flow } from './types';

export const DEFAULT_FLOWS: Record<string, Flow> = { [intakeFlow.id]: intakeFlow };
