import { LocalDataWipe } from '@/components/ui/local-data-wipe';

export const dynamic = 'force-dynamic';

export default async function SignedOut({ searchParams }: { searchParams: Promise<{ wipe?: string | string[] }> }) {
  const { wipe } = await searchParams;
  return (
    <main className="mx-auto max-w-xl p-6" data-testid="signed-out">
      <div className="rounded-xl border border-gray-200 bg-white p-6">
        <h1 className="text-xl font-semibold">You are signed out</h1>
        <p className="mt-3 text-gray-700">Housecall no longer holds access to this record. To open it again, launch Housecall from your EHR or patient portal.</p>
        {typeof wipe === 'string' ? <LocalDataWipe partition={wipe} /> : null}
      </div>
    </main>
  );
}
