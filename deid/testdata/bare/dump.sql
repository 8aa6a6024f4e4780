-- people's phones, stored as numbers
CREATE TABLE `p` (
  `id` int NOT NULL,
  `m` bigint,
  `r` bigint,
  `x` bigint,
  `h` bigint,
  `d` bigint,
  `t` bigint,
  `neg` bigint,
  `note` varchar(64)
);
INSERT INTO `p` VALUES (1,13812345678,15987654321,18600001111,13912345678,13712345678,13612345678,-15987654321,'1,18600001111,x'),(2, 13812345678 ,NULL,NULL,NULL,NULL,NULL,+13912345678,'it\'s 1,18600001111,x'),(3,'13812345678',NULL,NULL,NULL,NULL,NULL,NULL,"a,13912345678,\",b");
UPDATE `p` SET `note`='1,18600001111,x' WHERE `id`=3;
