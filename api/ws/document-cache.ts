import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { BoundedMap } from '../../infrastructure/shared/bounded-map';
import { PARSE_OPTIONS } from '../limits/document-limits';

/** Distinct documents kept; clients send the same few subscriptions over and over. @default 500 */
const MAX_DOCUMENTS = 500;

export type Checked = { document: DocumentNode } | { errors: readonly GraphQLError[] };

/**
 * Parses and validates each distinct document once. Ten thousand sockets subscribing to
 * `accountStatus` then share one DocumentNode instead of holding ten thousand copies
 * (about 20 KiB each with locations), and skip re-validating it.
 */
export class DocumentCache {
  private readonly entries = new BoundedMap<string, Checked>(MAX_DOCUMENTS);

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly rules: readonly ValidationRule[],
  ) {}

  check(query: string): Checked {
    const cached = this.entries.get(query);
    if (cached) return cached;
    const checked = this.parseAndValidate(query);
    if ('document' in checked) this.entries.set(query, checked);
    return checked;
  }

  private parseAndValidate(query: string): Checked {
    let document: DocumentNode;
    try {
      document = parse(query, PARSE_OPTIONS);
    } catch (error) {
      return { errors: [error instanceof GraphQLError ? error : new GraphQLError('Malformed document')] };
    }
    const errors = validate(this.schema, document, this.rules);
    return errors.length > 0 ? { errors } : { document };
  }
}
