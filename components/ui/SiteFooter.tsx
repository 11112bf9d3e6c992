export function SiteFooter() {
  return (
    <footer className="site-footer">
      <p>MLOps Academy: a self-hosted course with real, runnable labs. Works offline.</p>
    </footer>
  );
}
