import { GraphQLError, GraphQLScalarType, valueFromASTUntyped } from 'graphql';

/**
 * Any JSON value, as is. Used for output (audit entry details), which the server has
 * already made plain JSON; as input it accepts any literal or variable value.
 */
export const JsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: 'Any JSON value (object, array, string, number, boolean or null)',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral(ast, variables) {
    try {
      return valueFromASTUntyped(ast, variables);
    } catch {
      throw new GraphQLError('Not a JSON value', { extensions: { code: 'BAD_USER_INPUT' } });
    }
  },
});
