/**
 * The cross-tab message port (BroadcastChannel in a browser), injected so tests can wire two
 * "tabs" together in one process.
 */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

/** Makes a channel by name. */
export type ChannelFactory = (name: string) => ChannelLike;

/** `name => new BroadcastChannel(name)` where the browser has it; undefined otherwise. */
export function browserChannelFactory(): ChannelFactory | undefined {
  if (typeof BroadcastChannel === 'undefined') return undefined;
  return (name) => new BroadcastChannel(name);
}

/**
 * An in-process BroadcastChannel for tests and for single-tab fallbacks: every channel made by
 * one hub with the same name hears the others' messages (never its own), asynchronously and
 * in a later task with structured-cloned data, as the real one does.
 */
export function createChannelHub(): ChannelFactory {
  const members = new Map<string, Set<Member>>();
  interface Member {
    listeners: Set<(event: { data: unknown }) => void>;
  }
  return (name) => {
    const self: Member = { listeners: new Set() };
    const group = members.get(name) ?? new Set<Member>();
    members.set(name, group);
    group.add(self);
    return {
      postMessage(message) {
        const data = structuredClone(message);
        for (const other of group) {
          if (other === self) continue;
          for (const l of other.listeners) setTimeout(() => l({ data }), 0);
        }
      },
      addEventListener: (_type, l) => void self.listeners.add(l),
      removeEventListener: (_type, l) => void self.listeners.delete(l),
      close: () => void group.delete(self),
    };
  };
}
