export * from './enums';
export * from './customers';
export * from './providers';
export * from './terms';
export * from './links';
export * from './oauth';
export * from './instructions';
export * from './staff';
