export default function Home() {
  return (
    <main className="mx-auto max-w-xl p-6">
      <h1 className="text-2xl font-semibold">Housecall</h1>
      <p className="mt-3 text-gray-700">
        Housecall opens from your EHR or your patient portal. Start it there: it will connect to your health system and show the record you are allowed to see.
      </p>
    </main>
  );
}
