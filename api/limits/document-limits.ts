import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import {
  DEFAULT_PAGE_SIZE,
  MAX_ALIASES,
  MAX_DIRECTIVES,
  MAX_PAGE_SIZE,
  MAX_QUERY_COST,
  MAX_QUERY_DEPTH,
  MAX_TOKENS,
} from '../../infrastructure/config/limits';

/**
 * Parser options for both transports: the parser stops past MAX_TOKENS tokens. graphql-js
 * counts tokens itself; graphql-armor's token plugin throws from Apollo's
 * `parsingDidStart`, which Apollo answers with a 500, so the parser's own limit is used.
 */
export const PARSE_OPTIONS = { maxTokens: MAX_TOKENS } as const;

/** graphql-armor's refusals as the contract's BAD_USER_INPUT, without its "Syntax Error: " prefix. */
function reportToContext(context: ValidationContext | null, error: GraphQLError): void {
  context?.reportError(
    new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'BAD_USER_INPUT' } }),
  );
}

// A fresh object (and array) per use: ApolloArmor adds its own handlers to the ones it is given.
const refusal = () => ({ propagateOnRejection: false, onReject: [reportToContext], exposeLimits: true });

/** graphql-armor's depth, alias and directive limits (its cost limit is `costLimitRule` below). */
const shapeRules = new ApolloArmor({
  maxDepth: { n: MAX_QUERY_DEPTH, flattenFragments: true, ...refusal() },
  maxAliases: { n: MAX_ALIASES, ...refusal() },
  maxDirectives: { n: MAX_DIRECTIVES, ...refusal() },
  costLimit: { enabled: false },
  // Tokens are the parser's (PARSE_OPTIONS); suggestions are hidden by each transport in production.
  maxTokens: { enabled: false },
  blockFieldSuggestion: { enabled: false },
}).protect().validationRules;

/** graphql-armor's cost rule: objects 2, scalars 1, ×1.5 per level, × a page's `first`. */
const armorCost = new ApolloArmor({
  costLimit: { maxCost: MAX_QUERY_COST, ...refusal() },
  maxDepth: { enabled: false },
  maxAliases: { enabled: false },
  maxDirectives: { enabled: false },
  maxTokens: { enabled: false },
  blockFieldSuggestion: { enabled: false },
}).protect().validationRules;

/**
 * graphql-armor's cost limit, made to see every page at the size it will be served:
 * graphql-armor multiplies by `first` only when it is a literal, so a `first: $n` or an
 * omitted `first` would cost one row and `30 aliases × first: $n × first: $n` would pass.
 * Before costing, a variable `first` counts as MAX_PAGE_SIZE (the most it can be) and an
 * omitted one as DEFAULT_PAGE_SIZE (what the server then returns).
 */
export function costLimitRule(): ValidationRule {
  return (context) => ({
    Document(document) {
      const priced = withServedPageSizes(document, context);
      for (const error of validate(context.getSchema(), priced, armorCost)) context.reportError(error);
      return false;
    },
  });
}

function withServedPageSizes(document: DocumentNode, context: ValidationContext): DocumentNode {
  const typeInfo = new TypeInfo(context.getSchema());
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(field: FieldNode) {
        const paged = typeInfo.getFieldDef()?.args.some((arg) => arg.name === 'first');
        if (!paged) return undefined;
        const given = field.arguments?.find((arg) => arg.name.value === 'first');
        if (given?.value.kind === Kind.INT) return undefined;
        const size = given?.value.kind === Kind.VARIABLE ? MAX_PAGE_SIZE : DEFAULT_PAGE_SIZE;
        const first: ArgumentNode = {
          kind: Kind.ARGUMENT,
          name: { kind: Kind.NAME, value: 'first' },
          value: { kind: Kind.INT, value: String(size) },
        };
        // Armor reads the first `first` it meets: the priced one goes in front.
        return { ...field, arguments: [first, ...(field.arguments ?? []).filter((arg) => arg !== given)] };
      },
    }),
  );
}

/** The rules added to graphql's own, on HTTP and WebSocket alike. */
export const DOCUMENT_LIMIT_RULES: readonly ValidationRule[] = [...shapeRules, costLimitRule()];
