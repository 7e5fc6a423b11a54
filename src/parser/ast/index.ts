export * from './location.js';
export * from './duration.js';
export * from './type-node.js';
export * from './expression.js';
export * from './query.js';
export * from './statement.js';
export * from './factories.js';
export * from './traverse.js';
