import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { MAX_ALIASES, MAX_DIRECTIVES, MAX_QUERY_DEPTH, MAX_TOKENS } from '../../infrastructure/config/limits';

/** Parser options for both transports: the parser stops past MAX_TOKENS tokens. */
export const PARSE_OPTIONS = { maxTokens: MAX_TOKENS } as const;

function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** Refuses selection sets nested deeper than `max`, following fragments. */
export function depthLimitRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation: OperationDefinitionNode) {
      const depth = selectionDepth(operation.selectionSet, context, new Set());
      if (depth > max) context.reportError(limitError(`Query depth ${depth} exceeds the limit of ${max}`));
    },
  });
}

function selectionDepth(set: SelectionSetNode, context: ValidationContext, seen: Set<string>): number {
  let deepest = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const below = selection.selectionSet ? selectionDepth(selection.selectionSet, context, seen) : 0;
      deepest = Math.max(deepest, 1 + below);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, selectionDepth(selection.selectionSet, context, seen));
    } else {
      const name = selection.name.value;
      // A fragment cycle is reported by graphql's own rule; here it must just not loop.
      if (seen.has(name)) continue;
      const fragment: FragmentDefinitionNode | null | undefined = context.getFragment(name);
      if (fragment) deepest = Math.max(deepest, selectionDepth(fragment.selectionSet, context, new Set([...seen, name])));
    }
  }
  return deepest;
}

/** Refuses documents with more than `max` aliased fields (alias amplification). */
export function aliasLimitRule(max: number): ValidationRule {
  return (context) => {
    let aliases = 0;
    return {
      Field(field) {
        if (field.alias && ++aliases === max + 1) {
          context.reportError(limitError(`More than ${max} aliases in one document`));
        }
      },
    };
  };
}

/** Refuses documents with more than `max` directives. */
export function directiveLimitRule(max: number): ValidationRule {
  return (context) => {
    let directives = 0;
    return {
      Directive() {
        if (++directives === max + 1) context.reportError(limitError(`More than ${max} directives in one document`));
      },
    };
  };
}

/** The rules added to graphql's own, on HTTP and WebSocket alike. */
export const DOCUMENT_LIMIT_RULES: readonly ValidationRule[] = [
  depthLimitRule(MAX_QUERY_DEPTH),
  aliasLimitRule(MAX_ALIASES),
  directiveLimitRule(MAX_DIRECTIVES),
];
