/** Why credentials were refused; answered as 401 `AuthenticationFailed`. */
export class AuthenticationFailed extends Error {
  override readonly name = 'AuthenticationFailed';
}
