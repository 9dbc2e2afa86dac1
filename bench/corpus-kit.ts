/**
 * Deterministic building blocks shared by the TypeScript and C# corpus generators:
 * a seeded random source, resource names in every casing, entity fields, and a line
 * buffer that knows how long the file has grown.
 */

export class Rng {
  readonly #seed: number;
  #state: number;

  constructor(seed: number) {
    this.#seed = seed >>> 0;
    this.#state = this.#seed;
  }

  /** mulberry32: tiny, fast, and the same sequence on every machine and Node version. */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  /** A sample of `count` distinct items, in their original order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const chosen = new Set(this.shuffle(items.map((_, i) => i)).slice(0, count));
    return items.filter((_, i) => chosen.has(i));
  }

  /**
   * A file length drawn log-uniformly between min and max: many small files and a long
   * tail of large ones, the shape real repositories have.
   */
  size(min: number, max: number): number {
    return Math.round(min * Math.pow(max / min, this.next()));
  }

  /**
   * An independent stream for one file, derived from the seed and a label, so a change
   * to one generator does not reshuffle every file generated after it.
   */
  fork(label: string): Rng {
    let hash = 0x811c9dc5 ^ this.#seed;
    for (let i = 0; i < label.length; i++) {
      hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
    }
    return new Rng(hash >>> 0);
  }
}

/** A resource name in every casing the generators need. */
export interface Noun {
  /** order item */
  words: string;
  /** orderItem */
  camel: string;
  /** orderItems */
  camels: string;
  /** OrderItem */
  Pascal: string;
  /** OrderItems */
  Pascals: string;
  /** order-item */
  kebab: string;
  /** order-items */
  kebabs: string;
  /** order_items */
  snakes: string;
}

export function noun(singular: string, plural: string): Noun {
  const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return {
    words: kebab(singular).replace(/-/g, " "),
    camel: singular,
    camels: plural,
    Pascal: upper(singular),
    Pascals: upper(plural),
    kebab: kebab(singular),
    kebabs: kebab(plural),
    snakes: kebab(plural).replace(/-/g, "_"),
  };
}

export const RESOURCES: readonly Noun[] = [
  ["order", "orders"],
  ["invoice", "invoices"],
  ["customer", "customers"],
  ["product", "products"],
  ["category", "categories"],
  ["address", "addresses"],
  ["shipment", "shipments"],
  ["refund", "refunds"],
  ["coupon", "coupons"],
  ["review", "reviews"],
  ["ticket", "tickets"],
  ["team", "teams"],
  ["project", "projects"],
  ["task", "tasks"],
  ["comment", "comments"],
  ["attachment", "attachments"],
  ["notification", "notifications"],
  ["subscription", "subscriptions"],
  ["plan", "plans"],
  ["webhookEndpoint", "webhookEndpoints"],
  ["apiKey", "apiKeys"],
  ["report", "reports"],
  ["warehouse", "warehouses"],
  ["supplier", "suppliers"],
  ["tag", "tags"],
  ["payment", "payments"],
  ["cart", "carts"],
  ["wishlist", "wishlists"],
  ["inventoryItem", "inventoryItems"],
  ["priceList", "priceLists"],
  ["returnRequest", "returnRequests"],
  ["giftCard", "giftCards"],
  ["loyaltyAccount", "loyaltyAccounts"],
  ["employee", "employees"],
  ["department", "departments"],
  ["timesheet", "timesheets"],
  ["expense", "expenses"],
  ["contract", "contracts"],
  ["vendor", "vendors"],
  ["asset", "assets"],
  ["booking", "bookings"],
  ["room", "rooms"],
  ["event", "events"],
  ["invitation", "invitations"],
  ["document", "documents"],
  ["folder", "folders"],
  ["message", "messages"],
  ["channel", "channels"],
  ["survey", "surveys"],
  ["membership", "memberships"],
].map(([one, many]) => noun(one, many));

/** Nested collections a resource exposes (`/orders/:id/notes`). */
export const SUB_RESOURCES: readonly Noun[] = [
  ["note", "notes"],
  ["item", "items"],
  ["attachment", "attachments"],
  ["contact", "contacts"],
  ["approval", "approvals"],
  ["label", "labels"],
  ["reminder", "reminders"],
  ["participant", "participants"],
  ["milestone", "milestones"],
  ["lineItem", "lineItems"],
  ["adjustment", "adjustments"],
  ["watcher", "watchers"],
  ["comment", "comments"],
  ["revision", "revisions"],
  ["assignment", "assignments"],
  ["dependency", "dependencies"],
  ["checklist", "checklists"],
  ["rating", "ratings"],
  ["link", "links"],
  ["permission", "permissions"],
].map(([one, many]) => noun(one, many));

/** The nested collections of a resource: every sub-resource but one named like the resource itself. */
export function subResourcesOf(resource: Noun): Noun[] {
  return SUB_RESOURCES.filter((sub) => sub.camel !== resource.camel);
}

/** State transitions exposed as `POST /:id/<verb>`. */
export const ACTIONS: readonly string[] = [
  "cancel",
  "approve",
  "archive",
  "restore",
  "publish",
  "duplicate",
  "assign",
  "close",
  "reopen",
  "submit",
  "reject",
  "lock",
];

export type FieldKind = "string" | "text" | "int" | "decimal" | "bool" | "date" | "enum" | "email";

export interface Field {
  camel: string;
  Pascal: string;
  kind: FieldKind;
}

const FIELD_POOL: ReadonlyArray<[string, FieldKind]> = [
  ["name", "string"],
  ["title", "string"],
  ["description", "text"],
  ["status", "enum"],
  ["total", "decimal"],
  ["currency", "string"],
  ["quantity", "int"],
  ["dueDate", "date"],
  ["contactEmail", "email"],
  ["reference", "string"],
  ["priority", "int"],
  ["notes", "text"],
  ["isActive", "bool"],
  ["amount", "decimal"],
  ["startsAt", "date"],
  ["endsAt", "date"],
  ["externalId", "string"],
  ["sku", "string"],
  ["phone", "string"],
  ["country", "string"],
  ["region", "string"],
  ["score", "int"],
  ["discount", "decimal"],
  ["taxRate", "decimal"],
  ["isArchived", "bool"],
  ["publishedAt", "date"],
  ["source", "enum"],
  ["channel", "enum"],
  ["billingEmail", "email"],
  ["summary", "text"],
  ["capacity", "int"],
  ["weight", "decimal"],
  ["isPublic", "bool"],
  ["expiresAt", "date"],
  ["locale", "string"],
  ["timezone", "string"],
  ["rating", "int"],
  ["costCenter", "string"],
  ["approvedAt", "date"],
  ["version", "int"],
];

export const ALL_FIELDS: readonly Field[] = FIELD_POOL.map(([camel, kind]) => ({
  camel,
  Pascal: camel.charAt(0).toUpperCase() + camel.slice(1),
  kind,
}));

/** The fields of one resource: always a name-like field and a status, then a random handful. */
export function fieldsFor(rng: Rng, min: number, max: number): Field[] {
  const required = ALL_FIELDS.filter((f) => f.camel === "name" || f.camel === "status");
  const others = ALL_FIELDS.filter((f) => f.camel !== "name" && f.camel !== "status");
  return [...required, ...rng.sample(others, rng.int(min, max))];
}

export const STATUSES = ["draft", "pending", "active", "completed", "cancelled", "archived"] as const;

/** Lines of one file; `count` is the length the file has reached so far. */
export class Lines {
  readonly #lines: string[] = [];

  push(...lines: string[]): this {
    for (const line of lines) this.#lines.push(...line.split("\n"));
    return this;
  }

  /** Adds each line of a block with extra indentation (blank lines stay blank). */
  indented(prefix: string, lines: readonly string[]): this {
    for (const line of lines) this.#lines.push(line.length > 0 ? prefix + line : line);
    return this;
  }

  get count(): number {
    return this.#lines.length;
  }

  /** The file text, newline-terminated: `count` is what `wc -l` reports. */
  text(): string {
    return `${this.#lines.join("\n")}\n`;
  }
}

/** Generated files: path relative to the corpus root → text. */
export type FileSet = Map<string, string>;
