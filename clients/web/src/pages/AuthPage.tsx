import { useState, type FormEvent } from 'react';
import { graphql } from '../gql/index.ts';
import { useAuth } from '../lib/auth.tsx';
import { execute, type GraphQLErrorShape } from '../lib/graphql-client.ts';
import { navigate, useLocation } from '../lib/navigation.tsx';

const LogInMutation = graphql(`
  mutation LogIn($email: String!, $password: String!) {
    logIn(email: $email, password: $password) { token expiresAt user { id name } }
  }
`);

const SignUpMutation = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { token expiresAt user { id name } }
  }
`);

/** Log in or create an account; afterwards go back where the user came from (`?next=`). */
export function AuthPage() {
  const { search } = useLocation();
  const { signIn } = useAuth();
  const [mode, setMode] = useState<'logIn' | 'signUp'>(search.get('mode') === 'signup' ? 'signUp' : 'logIn');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<GraphQLErrorShape[]>([]);
  const next = search.get('next')?.startsWith('/') ? search.get('next')! : '/';

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors([]);
    const payload =
      mode === 'logIn'
        ? await execute(LogInMutation, { email, password }).then((r) => ({ auth: r.data?.logIn, r }))
        : await execute(SignUpMutation, { input: { email, name, password } }).then((r) => ({ auth: r.data?.signUp, r }));
    setBusy(false);
    if (payload.auth) {
      signIn({ token: payload.auth.token, expiresAt: payload.auth.expiresAt, userId: payload.auth.user.id, userName: payload.auth.user.name });
      navigate(next);
    } else {
      setErrors(payload.r.networkError ? [{ message: payload.r.networkError }] : payload.r.errors);
    }
  };

  return (
    <section className="auth">
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={mode === 'logIn'} onClick={() => setMode('logIn')}>
          Log in
        </button>
        <button type="button" role="tab" aria-selected={mode === 'signUp'} onClick={() => setMode('signUp')}>
          Sign up
        </button>
      </div>
      <form onSubmit={onSubmit} className="stack">
        <h1>{mode === 'logIn' ? 'Log in' : 'Create an account'}</h1>
        {mode === 'signUp' && (
          <label>
            Name
            <input name="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoComplete="name" />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="email" />
        </label>
        <label>
          Password
          <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={mode === 'signUp' ? 8 : 1} autoComplete={mode === 'signUp' ? 'new-password' : 'current-password'} />
        </label>
        {errors.length > 0 && (
          <div className="notice error" role="alert">
            {errors.map((e) => (
              <p key={e.message}>{e.message}</p>
            ))}
          </div>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Please wait…' : mode === 'logIn' ? 'Log in' : 'Sign up'}
        </button>
        {mode === 'logIn' && <p className="muted">Demo customer: demo@store.example / demo-password</p>}
      </form>
    </section>
  );
}
