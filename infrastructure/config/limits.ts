/**
 * Every limit, timeout and interval of Warden, in one place. HTTP and WebSocket read the
 * same constants, so a document refused on one transport is refused on the other.
 */

// ── Documents (HTTP and WebSocket alike) ────────────────────────────────────────────
/** Largest accepted HTTP body or WebSocket message, in bytes. @default 100 KiB */
export const MAX_REQUEST_BYTES = 100 * 1024;
/** Deepest selection set nesting. @default 10 */
export const MAX_QUERY_DEPTH = 10;
/** Most aliased fields in one document. @default 30 */
export const MAX_ALIASES = 30;
/** Most directives in one document. @default 20 */
export const MAX_DIRECTIVES = 20;
/** Most lexical tokens in one document (the parser stops past it). @default 2_000 */
export const MAX_TOKENS = 2_000;
/**
 * Most graphql-armor cost of one operation: objects 2, scalars 1, ×1.5 per level, and a
 * page's cost × its `first` (a variable `first` counts as MAX_PAGE_SIZE, an omitted one as
 * DEFAULT_PAGE_SIZE). A page of 100 moderation-log entries with their actors costs about
 * 5_000; one page of 100 nested in another (10_000 rows) costs over 150_000, and 30 aliases
 * of that (the abuse in issue 12) millions. @default 50_000
 */
export const MAX_QUERY_COST = 50_000;
/** Largest page a list field returns; `first` above it is BAD_USER_INPUT. @default 100 */
export const MAX_PAGE_SIZE = 100;
/** Page size when `first` is omitted. @default 20 */
export const DEFAULT_PAGE_SIZE = 20;

// ── Work in flight (api/limits/operation-limits.ts; HTTP and WebSocket alike) ───────
/**
 * Queries and mutations one member may have running at once on one instance; one more is
 * RATE_LIMITED (limit CONCURRENT_OPERATIONS_PER_MEMBER, retry after 1 s) without running.
 * Subscriptions are capped apart (MAX_SUBSCRIPTIONS_PER_SOCKET). 0: unlimited
 * (env MAX_CONCURRENT_OPERATIONS_PER_MEMBER). @default 8
 */
export const MAX_CONCURRENT_OPERATIONS_PER_MEMBER = 8;
/**
 * The same per client address (IPv6: per /64), whoever the members behind it are: one
 * attacker with many accounts. Generous, for offices behind one NAT. 0: unlimited
 * (env MAX_CONCURRENT_OPERATIONS_PER_IP). @default 64
 */
export const MAX_CONCURRENT_OPERATIONS_PER_IP = 64;
/**
 * A query or mutation still running after this is stopped: its waiting resolvers reject,
 * no new one starts, and the client gets TIMEOUT (HTTP 503). Under the MongoDB timeouts, so
 * a slow store answers TIMEOUT before it answers SERVICE_UNAVAILABLE
 * (env OPERATION_TIMEOUT_MS). @default 5_000
 */
export const OPERATION_TIMEOUT_MS = 5_000;
/**
 * Largest serialized result of one query or mutation; a larger one is replaced by
 * BAD_USER_INPUT (limit MAX_RESPONSE_BYTES, HTTP 400). The cost limit refuses most such
 * documents before they run; this bounds what it cannot see (long texts)
 * (env MAX_RESPONSE_BYTES). @default 2 MiB
 */
export const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

// ── Caps on live sessions (api/ws/graphql-ws-server.ts) ─────────────────────────────
/**
 * Operations (subscriptions, and queries or mutations still running) open on one socket;
 * one more is refused with BAD_USER_INPUT (limit MAX_SUBSCRIPTIONS_PER_SOCKET) and audited
 * (RATE_LIMITED, once per socket). One message to a member then fans out to at most this
 * many frames per socket (env MAX_SUBSCRIPTIONS_PER_SOCKET). @default 50
 */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 50;
/**
 * Open sockets of one member over all instances (Redis presence; without Redis, this
 * instance's). One more is closed at `connection_init` with 4008 and audited
 * (CONNECTION_REFUSED). Counted after the socket is registered, so two sockets racing for
 * the last place may both be refused, never both let in on one instance; across instances
 * the count is as fresh as presence's per-change writes (env MAX_SOCKETS_PER_MEMBER).
 * @default 20
 */
export const MAX_SOCKETS_PER_MEMBER = 20;

/**
 * Members whose last seen rights (staff or not) each instance remembers, to signal a drop
 * of rights only when it is one (infrastructure/sessions/staff-rights.ts). ~100 bytes
 * each. @default 100_000
 */
export const RIGHTS_MEMORY_SIZE = 100_000;

// ── Domain text limits: the business rules own them; re-exported so this stays the one
// place to read every limit.
export { TEXT_LIMITS } from '../../domain/shared/text-limits';

// ── MongoDB ─────────────────────────────────────────────────────────────────────────
/**
 * How long a request waits for MongoDB before it is SERVICE_UNAVAILABLE. Kept under the
 * contract's 5 s so a client always hears back in time. @default 3_000
 */
export const MONGO_SERVER_SELECTION_TIMEOUT_MS = 3_000;
/** Socket timeout of one MongoDB operation. @default 4_000 */
export const MONGO_SOCKET_TIMEOUT_MS = 4_000;
/**
 * Socket timeout of each index build at start: building an index over an existing
 * collection, or on a store still warming up, may take longer than any request may, and
 * must not keep an instance from starting; a store that hangs still ends the start.
 * @default 120_000
 */
export const MONGO_INDEX_BUILD_TIMEOUT_MS = 120_000;
/** Tries of a load-change-save when a concurrent writer won the version race. @default 20 */
export const OPTIMISTIC_RETRY_LIMIT = 20;

// ── Redis ───────────────────────────────────────────────────────────────────────────
/** How long start-up waits for Redis before serving anyway (blocks still hold via the sweep). @default 5_000 */
export const REDIS_CONNECT_TIMEOUT_MS = 5_000;

// ── Services started by the project ────────────────────────────────────────────────
/** How long a spawned redis-server or SecantusDB may take to accept connections. @default 20_000 */
export const SERVICE_START_TIMEOUT_MS = 20_000;
/** How long mongodb-memory-server may try to obtain a mongod before we fall back. @default 10_000 */
export const MEMORY_SERVER_START_TIMEOUT_MS = 10_000;
/** How long a spawned server gets to exit after SIGTERM before it is SIGKILLed. @default 5_000 */
export const SERVICE_STOP_TIMEOUT_MS = 5_000;
/**
 * SIGTERM-to-SIGKILL grace of a spawned SecantusDB: it closes WiredTiger cleanly on SIGTERM in
 * well under a second; outage tests stop and restart it and must not wait long. @default 3_000
 */
export const SECANTUS_STOP_GRACE_MS = 3_000;

/**
 * Members whose last block signal each instance remembers, to refuse a socket registered
 * while that signal was being handled (see SessionTerminator.blockedSince). @default 10_000
 */
export const RECENT_BLOCK_SIGNALS = 10_000;

// ── HTTP server ─────────────────────────────────────────────────────────────────────
/** Time a client has to send the whole request headers. @default 10_000 */
export const HTTP_HEADERS_TIMEOUT_MS = 10_000;
/** Time a client has to send a whole request. @default 30_000 */
export const HTTP_REQUEST_TIMEOUT_MS = 30_000;
/** Idle keep-alive connections are closed after this. @default 5_000 */
export const HTTP_KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** On shutdown, open connections get this long to finish. @default 10_000 */
export const SHUTDOWN_GRACE_MS = 10_000;

// ── Tokens (api/auth/verify-token.ts) ──────────────────────────────────────────────
/**
 * Longest a token may live, `exp − iat` (without `iat`: from now to `exp`); a longer-lived
 * one is refused like a bad signature, so a leaked token is bounded in time
 * (env JWT_MAX_LIFETIME_SECONDS). @default 86_400 (24 h)
 */
export const JWT_MAX_LIFETIME_SECONDS = 86_400;
/**
 * How far in the future `iat` may be, for clocks that disagree; a token issued later than
 * that is refused (env JWT_CLOCK_SKEW_SECONDS). @default 60
 */
export const JWT_CLOCK_SKEW_SECONDS = 60;

// ── Live sessions ───────────────────────────────────────────────────────────────────
/** A socket must send `connection_init` within this, or it is closed with 4408. @default 3_000 */
export const WS_CONNECTION_INIT_TIMEOUT_MS = 3_000;
/**
 * Server pings every socket this often; one that has not answered the previous ping by
 * then is terminated. @default 12_000
 */
export const WS_KEEP_ALIVE_MS = 12_000;
/**
 * The one keep-alive timer of an instance wakes this often and pings the sockets that came
 * due, so pings are spread over WS_KEEP_ALIVE_MS rather than sent in one burst. @default 250
 */
export const WS_KEEP_ALIVE_TICK_MS = 250;
/**
 * How often each instance closes (4401) the sockets whose token has expired: one pass over
 * its sessions instead of a timer per socket. @default 1_000
 */
export const TOKEN_EXPIRY_SWEEP_MS = 1_000;
/** A closing socket whose close handshake has not finished after this is terminated. @default 1_000 */
export const WS_CLOSE_HANDSHAKE_TIMEOUT_MS = 1_000;
/** Default sweep of connected members against MongoDB (env SESSION_SWEEP_INTERVAL_MS). @default 5_000 */
export const DEFAULT_SESSION_SWEEP_INTERVAL_MS = 5_000;
/**
 * How far before its previous run began a session sweep reads saved standings again: room
 * for clocks of instances that differ and for writes still in flight. @default 30_000
 */
export const SESSION_SWEEP_LOOKBACK_MS = 30_000;
/**
 * How often the outbox relay republishes events a crash or a Redis outage left
 * unpublished (one query; it also runs as soon as Redis comes back). @default 30_000
 */
export const OUTBOX_RELAY_INTERVAL_MS = 30_000;
/**
 * How often each instance settles the blocks its expiry schedule says ran out (in memory,
 * no query). Bounds how late the ACTIVE event of an expiry can be: the contract asks for
 * 2 s. @default 1_000
 */
export const EXPIRY_TICK_INTERVAL_MS = 1_000;
/**
 * How often each instance reads MongoDB for timed blocks (one query), so a block whose
 * signal it missed is still planned, and a lapsed one still settled. @default 30_000
 */
export const EXPIRY_RECONCILE_INTERVAL_MS = 30_000;

/**
 * The reconcile plans blocks running out this far ahead: longer than its interval, so
 * every block is planned at least once before its time. @default 90_000
 */
export const EXPIRY_RECONCILE_LOOKAHEAD_MS = 90_000;
/** The outbox relay leaves events this young to the use case that saved them. @default 3_000 */
export const OUTBOX_RELAY_GRACE_MS = 3_000;

// ── Process memory (infrastructure/jobs/heap-compaction.ts) ─────────────────────────
/**
 * The next full collection compacts when, after the last, the old generation has committed
 * at least this much it does not use… @default 32 MiB
 */
export const HEAP_FRAGMENTATION_MIN_BYTES = 32 * 1024 * 1024;
/** …and that is at least this share of what it uses. @default 0.25 */
export const HEAP_FRAGMENTATION_RATIO = 0.25;
/**
 * …once the heap has settled: what lives changed by less than this share between the last
 * two full collections. During a storm of connections the one compaction a cooldown allows
 * would come too early and leave the rest of the storm's fragmentation standing.
 * @default 0.05
 */
export const HEAP_SETTLED_CHANGE_RATIO = 0.05;
/**
 * After a compaction the next waits at least this long, so sustained churn costs at most
 * one compaction's pause per period: 135–180 ms at 5,000 idle sockets per instance,
 * 410–570 ms at 16,667 (it moves the whole old generation). @default 300_000
 */
export const HEAP_COMPACTION_COOLDOWN_MS = 300_000;
/**
 * …unless what lives has grown by more than this share since the last compaction: one that
 * came amid a storm of connections then does not leave the rest of the storm's
 * fragmentation for a whole cooldown, while churn at a steady size still waits. @default 0.25
 */
export const HEAP_COMPACTION_REGROWTH_RATIO = 0.25;

// ── Presence and force-disconnect (infrastructure/presence) ────────────────────────
/**
 * How often each instance rewrites its presence hash (member → local sockets) in Redis
 * and renews its TTL (env PRESENCE_HEARTBEAT_MS). @default 2_000
 */
export const PRESENCE_HEARTBEAT_MS = 2_000;
/**
 * Lifetime of an instance's presence hash after its last heartbeat (env PRESENCE_TTL_MS):
 * the sockets of an instance that died without cleaning up stop counting this long after
 * its last beat at the latest. At least twice the heartbeat, so one late beat is no
 * outage. @default 6_000
 */
export const PRESENCE_TTL_MS = 6_000;
/**
 * How long forceDisconnect waits for the other live instances to report the sockets they
 * closed; an instance that has not answered by then is left out of the count (and named in
 * the audit entry). @default 1_000
 */
export const FORCE_DISCONNECT_REPLY_TIMEOUT_MS = 1_000;

// ── MongoDB (appended by infrastructure/mongo) ─────────────────────────────────────
/**
 * How often the driver checks a MongoDB server it knows, so an instance notices a server
 * that came back within seconds instead of the driver's 10 s. @default 2_000
 */
export const MONGO_HEARTBEAT_FREQUENCY_MS = 2_000;
/**
 * Ids per `$in` query when many members are read at once (the session sweep): larger
 * lists are split into batches read in turn. @default 100
 */
export const MONGO_IN_BATCH = 100;
/** A readiness probe's ping answers `false` after this. @default 1_000 */
export const MONGO_PING_TIMEOUT_MS = 1_000;

// ── Rate limits and automated blocks (docs/moderation-operations.md) ────────────────
// Counted in Redis under the deployment's prefix, so they hold across instances. Each has
// an environment override, parsed in config.ts; 0 switches a limit off.
/** The sliding window every rate limit counts over (env RATE_LIMIT_WINDOW_MS). @default 60_000 */
export const RATE_LIMIT_WINDOW_MS = 60_000;
/**
 * Member mutations (every Mutation field not documented "Admins only") per member per
 * window, on HTTP and WebSocket together; each root field counts, aliases included
 * (env RATE_LIMIT_MEMBER_MUTATIONS). @default 60
 */
export const MEMBER_MUTATIONS_PER_MINUTE = 60;
/**
 * `connection_init` messages per client IP per window (env RATE_LIMIT_CONNECTION_INITS).
 * Generous (20 a second on average) because offices and carrier-grade NAT put many members
 * behind one address and they all reconnect after a deploy; it stops reconnect loops and
 * floods from one address, not a botnet. @default 1_200
 */
export const CONNECTION_INITS_PER_IP_PER_MINUTE = 1_200;
/**
 * Failed authentications (HTTP 401 or close 4401) per client IP per window; past it every
 * request from that IP is refused, valid token or not (env RATE_LIMIT_FAILED_AUTHS).
 * @default 30
 */
export const FAILED_AUTHS_PER_IP_PER_MINUTE = 30;
/**
 * Proxies in front of Warden that append to X-Forwarded-For; the client IP is the entry
 * that many places from the right. 0 trusts no header and uses the peer address
 * (env TRUSTED_PROXY_HOPS). @default 0
 */
export const TRUSTED_PROXY_HOPS = 0;
/**
 * A rate-limit check waits this long for Redis, then lets the request through (fail open:
 * availability over limiting). @default 250
 */
export const RATE_LIMIT_REDIS_TIMEOUT_MS = 250;
/**
 * Counting an offence may wait longer than a rate-limit check: a lost answer there is a
 * lost automated block, and it runs after the refusal was decided. @default 1_000
 */
export const OFFENCE_COUNT_REDIS_TIMEOUT_MS = 1_000;
/** Keys the in-process (no REDIS_URL) limiter keeps before it starts over. @default 100_000 */
export const MEMORY_RATE_LIMIT_MAX_KEYS = 100_000;
/**
 * Offences (rate-limit hits, and refused admin operations: a root field answered FORBIDDEN,
 * once per operation; refused fields below the root and reads never count) that block the member
 * automatically (env AUTO_BLOCK_OFFENCES; 0 switches automated blocks off). @default 5
 */
export const AUTO_BLOCK_OFFENCES = 5;
/** The window AUTO_BLOCK_OFFENCES are counted in (env AUTO_BLOCK_WINDOW_MS). @default 600_000 */
export const AUTO_BLOCK_WINDOW_MS = 600_000;
/**
 * Duration of a member's first, second, third… automated block; the last one repeats
 * (env AUTO_BLOCK_DURATIONS, comma-separated). @default ['DAYS_7', 'DAYS_30', 'DAYS_90']
 */
export const AUTO_BLOCK_DURATIONS = ['DAYS_7', 'DAYS_30', 'DAYS_90'] as const;
/** The userMessage of automated blocks (env AUTO_BLOCK_USER_MESSAGE, 1..1000 characters). */
export const AUTO_BLOCK_USER_MESSAGE =
  'Your account was blocked automatically after repeated violations of the platform rules ' +
  '(too many requests, or attempts at administrator operations). You can appeal this block.';
/**
 * Longest pause of a member's offence count while its automated block is being placed;
 * normally the pause ends when the block is saved. Bounds the pause if an instance dies
 * mid-block. @default 30_000
 */
export const AUTO_BLOCK_TRIGGER_LOCK_MS = 30_000;

// ── Audit trail (infrastructure/audit) ─────────────────────────────────────────────
/**
 * Audit entries waiting to be written, at most; past it a new entry is logged at error
 * level ("audit entry lost") and dropped, so a slow store never grows memory. @default 10_000
 */
export const AUDIT_QUEUE_LIMIT = 10_000;
/** Entries written in one insertMany. @default 200 */
export const AUDIT_BATCH_SIZE = 200;
/** Pause before the one retry of a failed audit write. @default 500 */
export const AUDIT_WRITE_RETRY_DELAY_MS = 500;
/**
 * Time to open a connection, and the monitor's time to hear from a known server: a hung
 * server is noticed (and in-flight operations failed) within heartbeat + this. @default 2_000
 */
export const MONGO_CONNECT_TIMEOUT_MS = 2_000;

// ── Webhooks (infrastructure/webhooks, docs/webhooks.md) ────────────────────────────
/** A receiver that has not answered within this is counted as a failed try (the contract's 10 s). @default 10_000 */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/**
 * How long a claimed delivery is held by the instance trying it. Longer than the timeout,
 * so a live instance always settles its try first; an instance killed mid-delivery lets
 * it lapse and another takes the delivery again. @default 15_000
 */
export const WEBHOOK_LEASE_MS = 15_000;
/**
 * Tries before a delivery is dead-lettered (env WEBHOOK_MAX_ATTEMPTS). With the default
 * backoff and jitter the tries span 1.2 to 2.5 h, so a receiver down for an hour loses nothing.
 * @default 20
 */
export const WEBHOOK_MAX_ATTEMPTS = 20;
/** First retry delay, doubled at each try up to WEBHOOK_RETRY_MAX_DELAY_MS (env WEBHOOK_RETRY_BASE_MS). @default 1_000 */
export const WEBHOOK_RETRY_BASE_MS = 1_000;
/** Longest delay between two tries, before jitter. @default 900_000 */
export const WEBHOOK_RETRY_MAX_DELAY_MS = 900_000;
/** How often each instance looks for due deliveries (it also looks at once after enqueueing). @default 1_000 */
export const WEBHOOK_POLL_INTERVAL_MS = 1_000;
/** Deliveries one instance tries at once. @default 4 */
export const WEBHOOK_CONCURRENCY = 4;
/**
 * A worker that loses the race for the head of the queue this many times in a row gives
 * up until the next poll (another worker is sending). @default 4
 */
export const WEBHOOK_CLAIM_RACES = 4;
/** Due deliveries a claim reads to pick one from at random (fewer races between workers). @default 16 */
export const WEBHOOK_CLAIM_CHOICES = 16;
/** Delivered events are kept this long as dedupe keys, then removed by a TTL index. @default 7 days */
export const WEBHOOK_DELIVERED_RETENTION_MS = 7 * 86_400_000;

// ── Idempotency keys (infrastructure/idempotency, domain/use-cases/idempotent.ts) ───
/**
 * How long a member mutation's idempotency key is remembered after its request: a retry
 * within it returns the first result (MongoDB's TTL monitor removes the record later,
 * never earlier). @default 86_400_000 (24 h)
 */
export const IDEMPOTENCY_KEY_RETENTION_MS = 86_400_000;
/**
 * How long a request holds its key while it runs: a retry meanwhile is told the first is
 * in progress. Past it (the instance died) a retry takes over. Longer than
 * HTTP_REQUEST_TIMEOUT_MS. @default 35_000
 */
export const IDEMPOTENCY_LEASE_MS = 35_000;
/**
 * Lifetime of a token minted by the development sign-in (`/dev/sign-in`, never in
 * production). @default 28_800 (8 hours)
 */
export const DEV_TOKEN_TTL_SECONDS = 28_800;
