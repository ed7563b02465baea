// The flows are written against the conversation engine's types (src/conversation/types.ts).
export * from '../src/conversation/types';
