import { uuidv7 } from 'uuidv7';

/** Server-generated ids are UUIDv7: time-ordered, so inserts stay local in the primary-key index. */
export const newId = (): string => uuidv7();
