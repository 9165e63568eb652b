import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

// Full ISO-8601 date-time with an explicit zone: a bare date or a local time would be
// read in the server's zone, which is how reservations end up a day off.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parse(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) {
    throw new GraphQLError('DateTime must be an ISO-8601 string with a time zone', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !hasRealCalendarFields(value)) {
    throw new GraphQLError('DateTime is not a real date', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return date;
}

/** `Date` rolls 2030-02-31 over to March 3rd; a client sending it meant something else. */
function hasRealCalendarFields(value: string): boolean {
  const [year, month, day, hour, minute, second = 0] = value.match(/\d+/g)!.slice(0, 6).map(Number) as number[];
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth && hour! < 24 && minute! < 60 && second < 60;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'ISO-8601 date-time string in UTC',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    throw new TypeError('DateTime cannot represent a non-date value');
  },
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return parse(ast.value);
  },
});
