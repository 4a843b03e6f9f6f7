package fr.acclermont.gateway.status;

import java.util.Locale;
import java.util.Map;

/**
 * The words of the status page in French (the default: the technicians are in French schools) and
 * in English. One map per language, the same keys in each; a test checks that they match.
 */
enum StatusText {
  FR(Locale.FRENCH, Map.ofEntries(
      Map.entry("title", "Passerelle des manuels"),
      Map.entry("version", "version"),
      Map.entry("running", "en service depuis"),
      Map.entry("origins", "Cloud des manuels"),
      Map.entry("parent", "par le relais académique"),
      Map.entry("up", "joignable depuis"),
      Map.entry("down", "injoignable depuis"),
      Map.entry("savings", "Ce que la passerelle économise"),
      Map.entry("today", "aujourd'hui"),
      Map.entry("week", "7 derniers jours"),
      Map.entry("served", "servi aux élèves"),
      Map.entry("uplink", "venu du cloud (liaison internet)"),
      Map.entry("saved", "économisé sur la liaison"),
      Map.entry("requestHits", "requêtes servies sans le cloud"),
      Map.entry("byteHits", "octets servis sans le cloud"),
      Map.entry("chart", "Dernières 24 heures, par heure"),
      Map.entry("chartServed", "servi"),
      Map.entry("chartUplink", "venu du cloud"),
      Map.entry("tiers", "Remplissage du cache"),
      Map.entry("memory", "mémoire"),
      Map.entry("disk", "disque"),
      Map.entry("noDisk", "pas de cache disque"),
      Map.entry("books", "Manuels les plus lus aujourd'hui"),
      Map.entry("book", "manuel ou chemin"),
      Map.entry("bytes", "octets servis"),
      Map.entry("none", "rien pour l'instant"),
      Map.entry("prefetch", "Préchargement"),
      Map.entry("prefetchOff", "non configuré (prefetch.lists)"),
      Map.entry("prefetchNow", "Précharger maintenant"),
      Map.entry("objects", "objets"),
      Map.entry("purge", "Vider un manuel du cache"),
      Map.entry("purgeUrl", "une adresse (toutes ses variantes)"),
      Map.entry("purgePrefix", "tout ce qui commence par"),
      Map.entry("purgeButton", "Vider"),
      Map.entry("warnings", "Derniers avertissements"),
      Map.entry("noWarnings", "aucun"),
      Map.entry("json", "les mêmes chiffres en JSON"),
      Map.entry("other", "English"),
      Map.entry("days", "j"),
      Map.entry("hours", "h"),
      Map.entry("minutes", "min"),
      Map.entry("token", "jeton d'administration"),
      Map.entry("login", "Entrer"),
      Map.entry("wrongToken", "Jeton incorrect."),
      Map.entry("prefetch.idle", "au repos"),
      Map.entry("prefetch.waiting", "en attente de sa fenêtre"),
      Map.entry("prefetch.running", "en cours"),
      Map.entry("prefetch.done", "terminé"),
      Map.entry("prefetchCurrent", "en ce moment :"),
      Map.entry("prefetchCompleted", "dernier passage terminé le"),
      Map.entry("prefetchNext", "prochaine fenêtre le"))),
  EN(Locale.ENGLISH, Map.ofEntries(
      Map.entry("title", "Textbook gateway"),
      Map.entry("version", "version"),
      Map.entry("running", "running for"),
      Map.entry("origins", "Textbook cloud"),
      Map.entry("parent", "through the académie tier"),
      Map.entry("up", "reachable since"),
      Map.entry("down", "unreachable since"),
      Map.entry("savings", "What the gateway saves"),
      Map.entry("today", "today"),
      Map.entry("week", "last 7 days"),
      Map.entry("served", "served to pupils"),
      Map.entry("uplink", "from the cloud (uplink)"),
      Map.entry("saved", "saved on the uplink"),
      Map.entry("requestHits", "requests served without the cloud"),
      Map.entry("byteHits", "bytes served without the cloud"),
      Map.entry("chart", "Last 24 hours, per hour"),
      Map.entry("chartServed", "served"),
      Map.entry("chartUplink", "from the cloud"),
      Map.entry("tiers", "Cache fill"),
      Map.entry("memory", "memory"),
      Map.entry("disk", "disk"),
      Map.entry("noDisk", "no disk cache"),
      Map.entry("books", "Books read most today"),
      Map.entry("book", "book or path"),
      Map.entry("bytes", "bytes served"),
      Map.entry("none", "nothing yet"),
      Map.entry("prefetch", "Prefetch"),
      Map.entry("prefetchOff", "not configured (prefetch.lists)"),
      Map.entry("prefetchNow", "Prefetch now"),
      Map.entry("objects", "objects"),
      Map.entry("purge", "Empty a book from the cache"),
      Map.entry("purgeUrl", "one URL (every variant)"),
      Map.entry("purgePrefix", "everything starting with"),
      Map.entry("purgeButton", "Purge"),
      Map.entry("warnings", "Last warnings"),
      Map.entry("noWarnings", "none"),
      Map.entry("json", "the same figures as JSON"),
      Map.entry("other", "Français"),
      Map.entry("days", "d"),
      Map.entry("hours", "h"),
      Map.entry("minutes", "min"),
      Map.entry("token", "admin token"),
      Map.entry("login", "Log in"),
      Map.entry("wrongToken", "Wrong token."),
      Map.entry("prefetch.idle", "idle"),
      Map.entry("prefetch.waiting", "waiting for its window"),
      Map.entry("prefetch.running", "running"),
      Map.entry("prefetch.done", "done"),
      Map.entry("prefetchCurrent", "now:"),
      Map.entry("prefetchCompleted", "last run completed"),
      Map.entry("prefetchNext", "next window")));

  private final Locale locale;
  private final Map<String, String> words;

  StatusText(Locale locale, Map<String, String> words) {
    this.locale = locale;
    this.words = words;
  }

  Locale locale() {
    return locale;
  }

  String get(String key) {
    String word = words.get(key);
    if (word == null) {
      throw new IllegalArgumentException("no word for " + key);
    }
    return word;
  }

  Map<String, String> words() {
    return words;
  }

  /**
   * The language of a request: {@code ?lang=en} or {@code ?lang=fr} first, then the first of the
   * {@code Accept-Language} ranges that is English or French; French otherwise.
   */
  static StatusText of(String langParameter, String acceptLanguage) {
    if (langParameter != null) {
      return langParameter.toLowerCase(Locale.ROOT).startsWith("en") ? EN : FR;
    }
    if (acceptLanguage != null) {
      for (String range : acceptLanguage.split(",")) {
        String tag = range.strip().toLowerCase(Locale.ROOT);
        if (tag.startsWith("fr")) {
          return FR;
        }
        if (tag.startsWith("en")) {
          return EN;
        }
      }
    }
    return FR;
  }
}
