import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** The schema's convention for admin-only fields: a description that starts so. */
const ADMIN_ONLY = /^\s*(?:Admins|Staff) only\b/i;

/** How many member mutations an operation performs: what MEMBER_MUTATIONS counts. */
export type MemberMutationCounter = (document: DocumentNode, operation: OperationDefinitionNode) => number;

/**
 * Every Mutation field is a member mutation unless its description starts with
 * "Admins only" (blockUser, unblockUser, decideAppeal…): members calling those are
 * refused with FORBIDDEN, which is an offence of its own, and admins doing their work are
 * not throttled. A new mutation is limited by default. Each distinct root response key
 * counts once (aliases are separate executions; a field repeated under one key is one).
 */
export function memberMutationCounter(schema: GraphQLSchema): MemberMutationCounter {
  const fields = schema.getMutationType()?.getFields() ?? {};
  const adminOnly = new Set(
    Object.values(fields)
      .filter((field) => ADMIN_ONLY.test(field.description ?? ''))
      .map((field) => field.name),
  );
  return (document, operation) => {
    if (operation.operation !== 'mutation') return 0;
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const keys = new Set<string>();
    const visit = (set: SelectionSetNode, seen: Set<string>): void => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const name = selection.name.value;
          if (name !== '__typename' && !adminOnly.has(name)) keys.add(selection.alias?.value ?? name);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          visit(selection.selectionSet, seen);
        } else if (!seen.has(selection.name.value)) {
          seen.add(selection.name.value);
          const fragment = fragments.get(selection.name.value);
          if (fragment) visit(fragment.selectionSet, seen);
        }
      }
    };
    visit(operation.selectionSet, new Set());
    return keys.size;
  };
}

/** The names of the Mutation fields documented "Admins only" (for docs and tests). */
export function adminOnlyMutations(schema: GraphQLSchema): string[] {
  return Object.values(schema.getMutationType()?.getFields() ?? {})
    .filter((field) => ADMIN_ONLY.test(field.description ?? ''))
    .map((field) => field.name)
    .sort();
}
