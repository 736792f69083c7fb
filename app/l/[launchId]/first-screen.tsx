import 'server-only';
import { headers } from 'next/headers';
import { ServerAnswersProvider } from '@/components/fhir/server-answers';
import { firstScreenAnswers, isDocumentLoad, type ServerAnswers } from '@/lib/fhir/first-screen';

/**
 * Renders its children with the answers to `paths` the server got through the proxy pipeline
 * for this launch (lib/fhir/first-screen.ts), so the first screen arrives with its data.
 * `children` may be a function of those answers, for a first screen composed on the server
 * (first-screen-summary.tsx).
 *
 * Not under a Suspense boundary of its own: the page is sent whole once the answers are in (at
 * most the budget). A boundary still streaming when the page's scripts start is rendered again
 * by the browser as soon as the layout's providers change, and the streamed copy then lands
 * beside it as a second, hidden summary.
 */
export async function WithFirstScreen({ launchId, paths, children }: { launchId: string; paths: readonly string[]; children: React.ReactNode | ((answers: ServerAnswers) => React.ReactNode) }) {
  const request = await headers();
  const answers = isDocumentLoad(request.get('sec-fetch-mode')) ? await firstScreenAnswers(launchId, paths, request.get('cookie')) : {};
  return <ServerAnswersProvider answers={answers} servedAt={Date.now()}>{typeof children === 'function' ? children(answers) : children}</ServerAnswersProvider>;
}
