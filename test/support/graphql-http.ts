export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions: Record<string, any> }[];
}

/** POSTs one operation the way a browser client would. */
export async function postGraphQL<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** The single error's code, or a readable failure when there is none. */
export function errorCode(response: GraphQLResponse): string {
  const code = response.errors?.[0]?.extensions?.code;
  if (typeof code !== 'string') throw new Error(`expected an error, got ${JSON.stringify(response)}`);
  return code;
}
