# Writes the datasets shipped in data/ from Debian's r-cran-mlbench (2.1-3).
#   apt-get install r-cran-mlbench && Rscript scripts/make-datasets.R
# Output: data/satimage.csv, data/glass.csv (see data/README.md for sources and licences).
suppressMessages(library(mlbench))

write_set <- function(df, label, path) {
  x <- df[, setdiff(names(df), label)]
  y <- as.integer(df[[label]]) - 1L  # factor level index, 0-based
  out <- cbind(x, class = y)
  write.csv(out, path, row.names = FALSE, quote = FALSE)
  cat(path, nrow(out), "rows;", "class counts:", tabulate(y + 1L), "\n")
}

data(Satellite)
write_set(Satellite, "classes", "data/satimage.csv")
data(Glass)
write_set(Glass, "Type", "data/glass.csv")
