export * from './common.ts';
export * from './people.ts';
export * from './pairs.ts';
export * from './admin.ts';
export * from './dashboard.ts';
export * from './me.ts';
export * from './me-data.ts';
export * from './checkins.ts';
