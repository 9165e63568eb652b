import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The domain depends on nothing but itself and Node's built-ins: no framework, driver,
 * transport or logger, and nothing from api/ or infrastructure/.
 */

const REPO_ROOT = resolve(__dirname, '..', '..');
const DOMAIN_DIR = join(REPO_ROOT, 'domain');

/** Packages named by the architecture rule; any other bare specifier is refused too. */
const NAMED_FORBIDDEN = [
  'mongoose',
  'mongodb',
  'ioredis',
  'graphql',
  'graphql-ws',
  'express',
  '@apollo/server',
  '@apollo/client',
  'ws',
  'pino',
  'jose',
  'graphql-redis-subscriptions',
];

function listTsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTsFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Drops comments so that prose mentioning a package is not mistaken for an import. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const SPECIFIER_PATTERNS = [
  // import x from '...'; import type { X } from '...'; export { x } from '...'; export * from '...'
  /\b(?:import|export)\s+(?:type\s+)?(?:[\w*$\s{},]*?)\s*from\s*['"]([^'"]+)['"]/g,
  // import '...'  (side effects)
  /\bimport\s*['"]([^'"]+)['"]/g,
  // require('...'), import('...'), import x = require('...')
  /\b(?:require|import)\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
];

/** Every module specifier `source` imports, requires or re-exports. */
function moduleSpecifiers(source: string): string[] {
  const code = stripComments(source);
  const found: string[] = [];
  for (const pattern of SPECIFIER_PATTERNS) {
    for (const match of code.matchAll(pattern)) if (match[1] !== undefined) found.push(match[1]);
  }
  return found;
}

/** Why `specifier`, imported from `file`, breaks the boundary; null when it is allowed. */
function violation(file: string, specifier: string): string | null {
  if (specifier.startsWith('node:')) return null;
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(file), specifier);
    const fromRoot = relative(REPO_ROOT, target).split(sep).join('/');
    if (fromRoot === 'domain' || fromRoot.startsWith('domain/')) return null;
    if (fromRoot.startsWith('api/') || fromRoot === 'api') return `reaches into api/ (${fromRoot})`;
    if (fromRoot.startsWith('infrastructure/') || fromRoot === 'infrastructure') {
      return `reaches into infrastructure/ (${fromRoot})`;
    }
    return `climbs out of domain/ (${fromRoot})`;
  }
  const isNamed = NAMED_FORBIDDEN.some((name) => specifier === name || specifier.startsWith(`${name}/`));
  if (isNamed || specifier.startsWith('@apollo/')) return `imports the forbidden package ${specifier}`;
  return `imports ${specifier}: only node: built-ins and relative imports within domain/ are allowed`;
}

function violationsIn(file: string, source: string): string[] {
  return moduleSpecifiers(source).flatMap((specifier) => {
    const why = violation(file, specifier);
    return why === null ? [] : [`${relative(REPO_ROOT, file)}: '${specifier}' ${why}`];
  });
}

const SAMPLE_FILE = join(DOMAIN_DIR, 'user', 'sample.ts');

describe('the scanner (self-check: it can fail)', () => {
  test.each<readonly [string, string]>([
    ...NAMED_FORBIDDEN.map((name) => [`import { x } from '${name}';`, name] as const),
    ["import type { Redis } from 'ioredis';", 'ioredis'],
    ["import * as mongo from 'mongodb';", 'mongodb'],
    ["import Redis, { type RedisOptions } from 'ioredis';", 'ioredis'],
    ['import {\n  GraphQLError,\n  type GraphQLSchema,\n} from "graphql";', 'graphql'],
    ["import 'graphql-ws';", 'graphql-ws'],
    ["export * from 'express';", 'express'],
    ["export { ApolloServer } from '@apollo/server';", '@apollo/server'],
    ["import { gql } from '@apollo/client/core';", '@apollo/client/core'],
    ["const { WebSocket } = require('ws');", 'ws'],
    ["const pino = require( \"pino\" );", 'pino'],
    ["const jose = await import('jose');", 'jose'],
    ["import express = require('express');", 'express'],
    ["import { x } from 'mongoose/lib/types';", 'mongoose/lib/types'],
    ["import { randomBytes } from 'crypto';", 'crypto'],
    ["import { z } from 'zod';", 'zod'],
    ["import { resolvers } from '../../api/resolvers';", '../../api/resolvers'],
    ["import type { Config } from '../../infrastructure/config/config';", '../../infrastructure/config/config'],
    ["import { helper } from '../../test/support/helper';", '../../test/support/helper'],
    ["import { x } from '../../../elsewhere';", '../../../elsewhere'],
  ])('flags %j', (source, specifier) => {
    const found = violationsIn(SAMPLE_FILE, source);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`'${specifier}'`);
  });

  test.each([
    "import { randomBytes } from 'node:crypto';",
    "import type { Clock } from '../shared/clock';",
    "import { Block } from './block';",
    "export * from './user.events';",
    "import { x } from '../../domain/shared/text';",
    "// this comment mentions import x from 'mongoose' but imports nothing",
    "/* require('ioredis') */",
    'const label = "from the graphql layer";',
  ])('allows %j', (source) => {
    expect(violationsIn(SAMPLE_FILE, source)).toEqual([]);
  });

  test('finds every specifier of a file with several imports', () => {
    const source = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "import 'node:fs';",
      "const c = require('./c');",
      "export { d } from './d';",
    ].join('\n');
    expect(moduleSpecifiers(source).sort()).toEqual(['../b', './a', './c', './d', 'node:fs']);
  });
});

describe('domain/ imports only itself and node: built-ins', () => {
  const files = listTsFiles(DOMAIN_DIR);

  test('the scan sees the whole domain (recursively)', () => {
    const names = files.map((file) => relative(DOMAIN_DIR, file).split(sep).join('/'));
    expect(names).toEqual(
      expect.arrayContaining([
        'user/personal-user.aggregate.ts',
        'shared/text.ts',
        'use-cases/change-user.ts',
        'messaging/message.aggregate.ts',
        'listing/item-listing.aggregate.ts',
        'reservation/reservation-request.aggregate.ts',
      ]),
    );
    // the scanner does read imports from real files
    const aggregate = files.find((file) => file.endsWith('personal-user.aggregate.ts')) as string;
    expect(moduleSpecifiers(readFileSync(aggregate, 'utf8'))).toContain('./block');
  });

  test.each(files.map((file) => [relative(REPO_ROOT, file), file]))('%s', (_name, file) => {
    expect(violationsIn(file, readFileSync(file, 'utf8'))).toEqual([]);
  });
});
