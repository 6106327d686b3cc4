// GET {base}/users/login?tenant&username&password → {"authdata": "<JWT>"}, and the public key
// endpoints a client uses to verify that JWT.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SimUser } from '../model/contract';
import { sendError, sendJson, sendText } from '../http/respond';
import type { RestCall } from './context';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time password check (digests have equal length whatever the input). */
function passwordMatches(user: SimUser, password: string): boolean {
  return timingSafeEqual(digest(user.password), digest(password));
}

export async function login(call: RestCall, users: ReadonlyMap<string, SimUser>): Promise<void> {
  const { query, res, style, deps } = call;
  const username = query.get('username') ?? '';
  const password = query.get('password') ?? '';
  if (username === '' || password === '') {
    deps.counters.failedLogins++;
    sendError(res, 401, 'username and password are required', style);
    return;
  }
  const user = users.get(username);
  if (!user || !passwordMatches(user, password)) {
    deps.counters.failedLogins++;
    deps.log('login refused (bad credentials)');
    sendError(res, 401, 'invalid username or password', style);
    return;
  }
  const token = await deps.tokens.issue(user.username);
  deps.counters.countLogin(user.username);
  deps.log(`login ${user.username}`);
  sendJson(res, 200, { authdata: token });
}

export function publicKeyPem(call: RestCall): void {
  sendText(call.res, 200, call.deps.tokens.publicKeyPem, 'application/x-pem-file');
}

export function jwks(call: RestCall): void {
  sendJson(call.res, 200, call.deps.tokens.jwks());
}
