// Who is logged in, as GET /session gives it ({name, role, mustChangePassword, csrfToken}; null: nobody), and what
// that user's role allows. The one place that holds the session; read it with session(), replace it with setSession().
import { ROLES } from './lists.js';

let current = null;

export const session = () => current;

export function setSession(s) {
  current = s;
}

/** True when role may do what needed may (an admin what an operator may, and so on). */
export const roleAllows = (role, needed) => ROLES.indexOf(role) >= ROLES.indexOf(needed);
export const canEdit = () => current && roleAllows(current.role, 'admin');
export const canOperate = () => current && roleAllows(current.role, 'operator');
