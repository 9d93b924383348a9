/**
 * Catalog commands: databases, collections and indexes of a branch (create, drop, rename, list). Catalog
 * entries are versioned like documents, so each of these is one cheap commit whatever the data size (index
 * builds excepted). Stateless handlers.
 */
package dev.argon.engine.command.catalog;
