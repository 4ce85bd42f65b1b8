export function App() {
  return <main>Redis Config Center</main>;
}
