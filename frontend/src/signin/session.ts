/** The token of the signed-in user, for this tab only (sessionStorage). */
const KEY = "sonagram.token";

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  keep: (token: string): void => sessionStorage.setItem(KEY, token),
  forget: (): void => sessionStorage.removeItem(KEY),
};
