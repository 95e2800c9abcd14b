import { createContext, useContext } from "react";

// The server renders the per-response CSP nonce into Remix's script tags. Browsers hide nonce
// attributes from scripts, so on the client the value is empty, and React does not complain
// about the mismatch for this attribute.
const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
