CREATE TABLE `people` (
  `id` int NOT NULL,
  `phone` varchar(20),
  `email` varchar(64),
  `note` text,
  `phone2` bigint
);
INSERT INTO `people` VALUES (1,'13812345678','zhang@example.com','电话13812345678请回拨',13912345678),(2, '15987654321' ,'','it\'s 15987654321,ok',NULL),(3,'1,18600001111,x','a','b',1);
UPDATE `people` SET `note`='18600001111' WHERE `id`=3;
